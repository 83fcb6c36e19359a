import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { Facts } from '../../core/report/facts.js';
import { describeSchemaError, pointerToPath, usefulSchemaErrors } from '../../core/schema-errors.js';
import { locateJson, parseJsonFile } from '../../core/settings/settings-json.js';
import { UserError } from '../../errors.js';
import { loadValidator } from '../../spine/validators.js';

/** Expands each --facts argument (a file, a directory searched recursively for *.json, or a glob). */
export function expandFactsArgs(cwd: string, args: string[]): string[] {
  return expandInputArgs(cwd, args, (f) => f.endsWith('.json'), 'facts');
}

/**
 * Expands file arguments: a file, a directory searched recursively (keeping what `inDirectory`
 * accepts), or a glob. `what` names the input in errors.
 */
export function expandInputArgs(
  cwd: string,
  args: string[],
  inDirectory: (file: string) => boolean,
  what: string,
): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    if (/[*?[{]/.test(arg)) {
      const segments = abs.split('/');
      const firstGlob = segments.findIndex((s) => /[*?[{]/.test(s));
      const base = segments.slice(0, firstGlob).join('/') || '/';
      const match = picomatch(abs);
      const found = walk(base).filter((f) => match(f));
      if (found.length === 0) throw new UserError(`no ${what} files match this pattern`, { file: arg });
      files.push(...found);
      continue;
    }
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(abs);
    } catch {
      throw new UserError(`${what} file or directory not found`, { file: arg });
    }
    files.push(...(stat.isDirectory() ? walk(abs).filter(inDirectory) : [abs]));
  }
  return [...new Set(files)].sort();
}

function walk(dir: string): string[] {
  const out: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === '.git' || e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(path));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

/** Reads and validates one facts file against schemas/facts.schema.json; bad input names file:line:col. */
export async function readFactsFile(file: string, display: string): Promise<Facts> {
  const parsed = parseJsonFile(display, readFileSync(file, 'utf8'));
  if (!parsed.json) {
    const p = parsed.problems[0]!;
    throw new UserError(`not valid JSON: ${p.message}`, { file: display, line: p.line, column: p.column });
  }
  const validate = await loadValidator('facts');
  if (!validate(parsed.json.value)) {
    const errors = usefulSchemaErrors(validate.errors ?? []);
    const first = errors[0]!;
    throw new UserError(
      `not a spine facts document: ${describeSchemaError(first)}`,
      { file: display, ...locateJson(parsed.json, pointerToPath(first.instancePath)) },
      errors.slice(1, 5).map(describeSchemaError),
    );
  }
  return parsed.json.value as unknown as Facts;
}

/** Key that identifies a repo across facts files: collected weekly, only the newest one counts. */
export function repoKey(facts: Facts): string {
  return facts.repo.remote ?? `${facts.team ?? ''}/${facts.repo.name}`;
}
