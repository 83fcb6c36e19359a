import { isSeq, parseDocument, type YAMLSeq } from 'yaml';
import type { Spine } from '../../spine/model.js';
import { classifyDocs, type DocChecks, type SpineWrite } from './docs.js';
import { classifyTerms, findTerms } from './glossary.js';
import { localItems } from './local.js';
import type { ExtractItem, Pioneer } from './model.js';
import { classifyRules, type SpineRule } from './rules.js';

export const TODO_WHY = 'TODO: say why every team needs this rule';

export interface ClassifyInput {
  pioneers: Pioneer[];
  spine: Spine;
  /** Every rule the spine already puts into settings, with its guardrail id. */
  spineRules: SpineRule[];
  includeAllow: boolean;
  checks: DocChecks;
}

export interface Classified {
  items: ExtractItem[];
  /** The files a taken skill, agent or command brings (keyed by its item). */
  docWrites: Map<ExtractItem, SpineWrite[]>;
}

/** Pure: every item of every pioneer, classified. */
export function classify(input: ClassifyInput): Classified {
  const { spine } = input;
  const takenIds = new Set<string>([
    ...spine.permissions.rules.map((r) => r.id),
    ...spine.permissions.neverAllow.map((n) => n.id),
    ...spine.secrets.paths.map((p) => p.id),
    ...spine.secrets.tokens.map((t) => t.id),
    ...[spine.permissions.bypassMode?.id, spine.secrets.guard?.id, spine.audit?.id].filter(
      (x): x is string => !!x,
    ),
  ]);
  const rules = classifyRules(input.pioneers, input.spineRules, spine.permissions.neverAllow, {
    includeAllow: input.includeAllow,
    takenIds,
  });
  const docs = classifyDocs(input.pioneers, spine, input.checks);
  const terms = classifyTerms(input.pioneers.flatMap(findTerms), spine.glossary);
  const local = input.pioneers.flatMap(localItems);
  const docWrites = new Map(docs.filter((d) => d.writes.length).map((d) => [d.item, d.writes] as const));
  return { items: [...rules, ...docs.map((d) => d.item), ...terms, ...local], docWrites };
}

export interface RenderInput {
  spineFiles: Map<string, Buffer>;
  items: ExtractItem[];
  docWrites: Map<ExtractItem, SpineWrite[]>;
  /** The `$schema` comment for a spine YAML file created from nothing. */
  schemaComment: (path: string) => string;
}

/** Pure: the spine files that change, for the items still marked `take`. */
export function renderExtraction(input: RenderInput): SpineWrite[] {
  const taken = input.items.filter((i) => i.action === 'take');
  const writes: SpineWrite[] = [];

  const guardrails = taken.filter((i) => i.kind === 'guardrail' && i.rule);
  if (guardrails.length) {
    const path = 'guardrails/permissions.yaml';
    const doc = parseDocument(text(input, path) ?? input.schemaComment(path));
    if (!doc.contents) doc.contents = doc.createNode({}) as never;
    for (const item of guardrails) {
      const node = doc.createNode({ id: item.name, rule: item.rule!.rule, level: 'default', why: TODO_WHY });
      node.commentBefore = ` extracted: ${where(item)}`;
      seqAt(doc, item.rule!.effect).items.push(node);
    }
    writes.push({
      path,
      content: Buffer.from(doc.toString({ lineWidth: 0, flowCollectionPadding: false })),
      mode: 0o644,
    });
  }

  const terms = taken.filter((i) => i.kind === 'term');
  if (terms.length) {
    const path = 'glossary.yaml';
    const doc = parseDocument(text(input, path) ?? `${input.schemaComment(path)}terms: []\n`);
    if (!doc.contents) doc.contents = doc.createNode({ terms: [] }) as never;
    for (const item of terms) {
      const node = doc.createNode({ term: item.name, definition: item.definition });
      node.commentBefore = ` review (extracted): ${where(item)}`;
      seqAt(doc, 'terms').items.push(node);
    }
    writes.push({
      path,
      content: Buffer.from(doc.toString({ lineWidth: 0, flowCollectionPadding: false })),
      mode: 0o644,
    });
  }

  for (const item of taken) writes.push(...(input.docWrites.get(item) ?? []));

  if (writes.length) {
    const changelog = text(input, 'CHANGELOG.md') ?? '# Changelog\n';
    writes.push({
      path: 'CHANGELOG.md',
      content: Buffer.from(withUnreleased(changelog, taken)),
      mode: 0o644,
    });
  }
  return writes;
}

function text(input: RenderInput, path: string): string | undefined {
  return input.spineFiles.get(path)?.toString('utf8');
}

function seqAt(doc: ReturnType<typeof parseDocument>, key: string): YAMLSeq {
  let seq = doc.get(key, true);
  if (!isSeq(seq)) {
    doc.set(key, doc.createNode([]));
    seq = doc.get(key, true);
  }
  (seq as YAMLSeq).flow = false;
  return seq as YAMLSeq;
}

function where(item: ExtractItem): string {
  return item.sources.map((s) => `${s.team} ${s.file}${s.line ? `:${s.line}` : ''}`).join(', ');
}

function withUnreleased(changelog: string, taken: ExtractItem[]): string {
  const teams = [...new Set(taken.flatMap((i) => i.sources.map((s) => s.team)))].join(', ');
  const count = (kind: ExtractItem['kind'], word: string) => {
    const n = taken.filter((i) => i.kind === kind).length;
    return n ? [`${n} ${word}${n === 1 ? '' : 's'}`] : [];
  };
  const what = [
    ...count('guardrail', 'guardrail'),
    ...count('skill', 'skill'),
    ...count('agent', 'subagent'),
    ...count('command', 'command'),
    ...count('term', 'glossary term'),
  ].join(', ');
  const entry = `- Extracted from ${teams}: ${what} (each needs review: guardrail reasons, term definitions).\n`;
  const lines = changelog.split('\n');
  const unreleased = lines.findIndex((l) => /^## Unreleased/i.test(l));
  if (unreleased >= 0) {
    lines.splice(unreleased + 2, 0, entry.trimEnd());
    return lines.join('\n');
  }
  const firstSection = lines.findIndex((l) => /^## /.test(l));
  const at = firstSection < 0 ? lines.length : firstSection;
  lines.splice(at, 0, '## Unreleased', '', entry.trimEnd(), '');
  return lines.join('\n');
}
