import type { LaunchDirConfig } from '../core/launch-dirs/select.js';
import type { Lock } from '../core/lock/lock.js';
import { errorsOf, type Problem } from '../core/problems.js';
import { describeSchemaError, pointerToPath, usefulSchemaErrors } from '../core/schema-errors.js';
import {
  classifySettingsErrors,
  type JsonFile,
  locateJson,
  parseJsonFile,
  validJsonFile,
} from '../core/settings/settings-json.js';
import type { TeamsConfig } from '../core/zones/zone-map.js';
import { UserError } from '../errors.js';
import { memoJson, memoKey, readMemo } from '../io/memo.js';
import { loadValidator } from '../spine/validators.js';

export interface LocalConfig {
  team?: string;
  champion?: string;
  fork?: string;
  waivers: { rule: string; reason: string; approvedBy?: string; expires?: string; zone?: string }[];
  launchDirs?: LaunchDirConfig;
  teams?: TeamsConfig;
}

/** Parses a settings file and checks it as Claude Code would; problems carry file:line:col. */
export async function parseSettingsFile(
  file: string,
  content: Buffer,
  cacheDir?: string,
): Promise<{ json?: JsonFile; problems: Problem[] }> {
  const text = content.toString('utf8');
  const key = memoKey(file, content);
  // A verdict memoised for these bytes means they parsed as strict JSON without a duplicate key
  // (nothing else is memoised): the positioned tree is then built only if a finding needs a line.
  const known = readMemo<Problem[]>(cacheDir, 'settings', key);
  if (known) return { json: validJsonFile(file, text), problems: known.value };
  const parsed = parseJsonFile(file, text);
  const json = parsed.json;
  if (!json) return parsed;
  // The settings validator is large; its verdict depends on the bytes alone, so it is memoised.
  const problems = await memoJson(cacheDir, 'settings', key, async () => {
    const [tolerant, strict] = await Promise.all([
      loadValidator('claude-settings-tolerant'),
      loadValidator('claude-settings'),
    ]);
    const errors = tolerant(json.value) ? [] : (tolerant.errors ?? []);
    const unknown = strict(json.value) ? [] : (strict.errors ?? []);
    return classifySettingsErrors(json, errors, unknown);
  });
  return { json, problems };
}

export async function parseLocalConfig(
  file: string,
  content: Buffer,
  cacheDir?: string,
): Promise<{ config?: LocalConfig; problems: Problem[] }> {
  return memoJson(cacheDir, 'local', memoKey(file, content), async () => {
    const { parseYaml } = await import('../spine/yaml-file.js');
    const parsed = parseYaml(file, content.toString('utf8'), await loadValidator('local'));
    if (errorsOf(parsed.problems).length) return { problems: parsed.problems };
    const value = (parsed.value ?? {}) as Partial<LocalConfig>;
    return { config: { ...value, waivers: value.waivers ?? [] }, problems: parsed.problems };
  });
}

/**
 * The lock, or a UserError naming the file and line: an unreadable lock is bad input. With a
 * cache directory a lock once found valid is, for the same bytes, only `JSON.parse`d: building
 * the positioned tree and running the validator cost doctor more than anything else it reads.
 */
export async function parseLock(file: string, content: Buffer, cacheDir?: string): Promise<Lock> {
  let checked: Lock | undefined;
  await memoJson(cacheDir, 'lock', memoKey(file, content), async () => {
    checked = await checkLock(file, content);
    return true;
  });
  return checked ?? (JSON.parse(content.toString('utf8').replace(/^\uFEFF/, '')) as Lock);
}

async function checkLock(file: string, content: Buffer): Promise<Lock> {
  const parsed = parseJsonFile(file, content.toString('utf8'));
  if (!parsed.json) throw problemToError(parsed.problems[0]!, 'the lock is not valid JSON');
  const validate = await loadValidator('lock');
  if (!validate(parsed.json.value)) {
    const errors = usefulSchemaErrors(validate.errors ?? []);
    const first = errors[0]!;
    const pos = locateJson(parsed.json, pointerToPath(first.instancePath));
    throw new UserError(
      `invalid lock: ${describeSchemaError(first)}`,
      { file, ...pos },
      errors.slice(1).map(describeSchemaError),
    );
  }
  return parsed.json.value as unknown as Lock;
}

export function problemToError(first: Problem, prefix?: string, rest: Problem[] = []): UserError {
  const message = prefix ? `${prefix}: ${first.message}` : first.message;
  return new UserError(
    message,
    { file: first.file, line: first.line, column: first.column },
    rest.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}${p.column ? `:${p.column}` : ''}: ${p.message}`),
  );
}

/** Throws the first error among problems (the rest as details); returns the warnings. */
export function throwOnErrors(problems: Problem[]): Problem[] {
  const errors = errorsOf(problems);
  if (errors.length) throw problemToError(errors[0]!, undefined, errors.slice(1));
  return problems.filter((p) => p.severity === 'warning');
}
