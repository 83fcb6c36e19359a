import { type Document, parseDocument } from 'yaml';
import type { FileChange } from '../plan.js';

export type NewSpineStart = 'embedded' | 'empty';

export interface NewSpineInput {
  name: string;
  owners: string[];
  version: string;
  start: NewSpineStart;
  /** The embedded spine's files (used when start is `embedded`). */
  embedded: Map<string, Buffer>;
  /** `$schema` comment handling: the one place that knows the form (spine/schema-comment). */
  withSchemaComment: (path: string, text: string) => string;
  /** Schema files to ship beside the spine (when the comments point at relative paths). */
  schemas: Map<string, Buffer>;
  readme: string;
  changelog: (firstEntry: string) => string;
  workflow: string;
}

export const WORKFLOW_PATH = '.github/workflows/validate.yml';

/** Pure: every file of a new spine repository. */
export function planNewSpine(input: NewSpineInput): FileChange[] {
  const files = new Map<string, { content: string | Buffer; note: string }>();
  const put = (path: string, content: string | Buffer, note: string) => files.set(path, { content, note });

  if (input.start === 'embedded') {
    const embeddedName = manifestField(input.embedded.get('spine.yaml'), 'name');
    const embeddedVersion = manifestField(input.embedded.get('spine.yaml'), 'version');
    for (const [path, content] of input.embedded) {
      if (path === 'CHANGELOG.md') continue;
      if (path === 'spine.yaml') continue;
      if (/\.ya?ml$/.test(path))
        put(path, input.withSchemaComment(path, content.toString('utf8')), 'from the embedded spine');
      else put(path, content, 'from the embedded spine');
    }
    put(
      'spine.yaml',
      input.withSchemaComment('spine.yaml', manifestFrom(input.embedded.get('spine.yaml'), input)),
      'manifest',
    );
    put(
      'CHANGELOG.md',
      input.changelog(
        `Started from the embedded spine (${embeddedName} ${embeddedVersion}): its guardrails, skills, subagent, command and glossary.`,
      ),
      'release notes',
    );
  } else {
    put('spine.yaml', input.withSchemaComment('spine.yaml', emptyManifest(input)), 'manifest');
    put(
      'guardrails/permissions.yaml',
      input.withSchemaComment(
        'guardrails/permissions.yaml',
        '# Permission guardrails: each {id, rule(s), level: locked | default, why}.\n# Claude Code applies deny before ask before allow, across every settings file.\ndeny: []\nask: []\n',
      ),
      'no guardrails yet',
    );
    put(
      'glossary.yaml',
      input.withSchemaComment(
        'glossary.yaml',
        "# Shared vocabulary: {term, definition, aliases, avoid, see}, rendered into every team's memory.\nterms: []\n",
      ),
      'no terms yet',
    );
    put(
      'CHANGELOG.md',
      input.changelog('The empty spine: a manifest, no guardrails, skills or terms yet.'),
      'release notes',
    );
  }
  for (const [path, content] of input.schemas) put(path, content, 'JSON Schema for editors');
  put('README.md', input.readme, 'for the platform team');
  put(WORKFLOW_PATH, input.workflow, 'CI: spine validate');

  return [...files]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, { content, note }]) => ({
      path,
      action: 'create' as const,
      content: typeof content === 'string' ? Buffer.from(content) : content,
      note,
    }));
}

function manifestField(content: Buffer | undefined, key: string): string {
  const value = content ? parseDocument(content.toString('utf8')).get(key) : undefined;
  return typeof value === 'string' ? value : '';
}

/** The embedded manifest with this spine's identity; comments and every other field kept. */
function manifestFrom(content: Buffer | undefined, input: NewSpineInput): string {
  return manifestDocument(content, input).toString({ lineWidth: 100 });
}

/** A manifest of the identity alone, for a spine started empty. */
function emptyManifest(input: NewSpineInput): string {
  const doc = manifestDocument(undefined, input);
  doc.set('targets', ['claude-code']);
  return doc.toString({ lineWidth: 100 });
}

function manifestDocument(content: Buffer | undefined, input: NewSpineInput): Document {
  const doc = parseDocument(content?.toString('utf8') ?? 'apiVersion: spine/v1\n');
  doc.set('name', input.name);
  doc.set('version', input.version);
  doc.set(
    'description',
    `The ${input.name.replace(/-spine$/, '')} spine for Claude Code: guardrails, shared skills and vocabulary.`,
  );
  doc.set('owners', input.owners);
  return doc;
}
