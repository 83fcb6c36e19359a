/** The subset of an ajv error spine reads; kept structural so the core needs no ajv import. */
export interface SchemaError {
  instancePath: string;
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
