/** The subset of an ajv error spine reads; kept structural so the core needs no ajv import. */
export interface SchemaError {
  instancePath: string;
  schemaPath?: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** JSON pointer → path segments, numbers for array indexes. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function formatPath(path: (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(top level)';
}

/** One readable sentence per schema error, e.g. `deny[0].level: must be one of locked, default`. */
export function describeSchemaError(error: SchemaError): string {
  const where = formatPath(pointerToPath(error.instancePath));
  const p = error.params;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}: unknown key "${String(p.additionalProperty)}"`;
    case 'required':
      return `${where}: missing required key "${String(p.missingProperty)}"`;
    case 'enum':
      return `${where}: must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `${where}: must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      return `${where}: must be ${String(p.type)}`;
    case 'pattern':
      return `${where}: does not match ${String(p.pattern)}`;
    default:
      return `${where}: ${error.message ?? error.keyword}`;
  }
}

/**
 * ajv reports every failed branch of a oneOf/anyOf; keep the errors that say something a person
 * can act on and drop the bare "must match exactly one schema" summaries when others exist.
 */
export function usefulSchemaErrors<E extends SchemaError>(errors: E[]): E[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const seen = new Set<string>();
  return (specific.length > 0 ? specific : errors).filter((e) => {
    const key = `${e.instancePath}|${describeSchemaError(e)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * ajv reports every branch of an anyOf/oneOf (a `command` hook also "misses" `url`, `prompt`,
 * `server`). Keep, per alternative, the branch the value most plausibly meant: the one whose
 * discriminating `const`/`enum` matched, then the one with the fewest errors.
 */
export function bestBranchErrors<E extends SchemaError>(errors: E[]): E[] {
  const choices = errors
    .filter((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && e.schemaPath)
    .sort((a, b) => a.schemaPath!.length - b.schemaPath!.length);
  let kept = errors;
  for (const choice of choices) {
    if (!kept.includes(choice)) continue;
    const prefix = `${choice.schemaPath}/`;
    const inBranch = (e: E) =>
      e.schemaPath?.startsWith(prefix) && e.instancePath.startsWith(choice.instancePath);
    const branches = new Map<string, E[]>();
    for (const e of kept.filter(inBranch)) {
      const index = e.schemaPath!.slice(prefix.length).split('/')[0]!;
      branches.set(index, [...(branches.get(index) ?? []), e]);
    }
    if (branches.size === 0) continue;
    const score = (list: E[]) =>
      list.filter((e) => e.keyword === 'const' || e.keyword === 'enum').length * 1000 + list.length;
    const best = [...branches.values()].sort((a, b) => score(a) - score(b))[0]!;
    kept = kept.filter((e) => e === choice || !inBranch(e) || best.includes(e));
    // The summary error says nothing the chosen branch does not say better.
    if (best.length > 0) kept = kept.filter((e) => e !== choice);
  }
  return kept;
}
