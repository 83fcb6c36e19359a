import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { EMBEDDED_SPINE_DIR } from './sources/resolve.js';

/**
 * The `$schema` comment a spine YAML file carries, in whatever form the embedded spine uses: its
 * spine.yaml's first line is the template, so a change there reaches every file spine writes.
 */
const TEMPLATE = /^# yaml-language-server: \$schema=(.*)spine\.schema\.json\s*$/;

/** Where a spine repository of its own keeps the schemas when the comments are relative. */
export const SCHEMA_DIR = 'schemas';

/** Replaces (or adds) the first-line `$schema` comment of a spine YAML file. */
export function withSchemaComment(path: string, text: string): string {
  const body = /^# yaml-language-server: \$schema=.*\n/.test(text)
    ? text.slice(text.indexOf('\n') + 1)
    : text;
  return schemaComment(path) + body;
}

let cached: { prefix: string } | null | undefined;

function template(): { prefix: string } | null {
  if (cached === undefined) {
    const first = readFileSync(join(EMBEDDED_SPINE_DIR, 'spine.yaml'), 'utf8').split('\n', 1)[0] ?? '';
    const match = TEMPLATE.exec(first);
    cached = match ? { prefix: match[1]! } : null;
  }
  return cached;
}

/**
 * True when the embedded spine's comments are relative paths: they then point at a `schemas/`
 * folder that a spine repository of its own has to carry (spine new writes it).
 */
export function schemaCommentsAreRelative(): boolean {
  const t = template();
  return t !== null && !/^[a-z]+:\/\//i.test(t.prefix) && !t.prefix.startsWith('/');
}

/** The comment line (with its newline) for `path` inside a spine, or '' when the embedded spine has none. */
export function schemaComment(path: string): string {
  const t = template();
  if (!t) return '';
  const schema = posix.basename(path).replace(/\.ya?ml$/, '');
  const depth = path.split('/').length - 1;
  const prefix = schemaCommentsAreRelative() ? `${'../'.repeat(depth)}${SCHEMA_DIR}/` : t.prefix;
  return `# yaml-language-server: $schema=${prefix}${schema}.schema.json\n`;
}
