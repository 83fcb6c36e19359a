import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from './fs.js';
import { buildId } from './package-files.js';

/** A stable key for content: sha256 over the parts and the build id (other code re-checks). */
export function memoKey(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256').update(buildId());
  for (const part of parts) hash.update('\0').update(part);
  return hash.digest('hex');
}

/**
 * Results computed from content alone (a spine loaded and checked, a settings file validated),
 * kept in the cache directory under a hash of that content. A warm doctor skips YAML parsing and
 * schema validation entirely. The cache is only an accelerator: any failure to read or write it
 * falls back to computing.
 */
export async function memoJson<T>(
  cacheDir: string | undefined,
  kind: string,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  const known = readMemo<T>(cacheDir, kind, key);
  if (known) return known.value;
  const value = await compute();
  if (!cacheDir) return value;
  try {
    const dir = join(cacheDir, 'memo', kind);
    mkdirSync(dir, { recursive: true });
    writeAtomic(join(dir, `${key}.json`), JSON.stringify({ memo: 1, kind, key, value }));
  } catch {
    // A read-only or full cache only costs speed.
  }
  return value;
}

/** The memoised result for `key`, if there is one: a caller that can skip work before computing. */
export function readMemo<T>(
  cacheDir: string | undefined,
  kind: string,
  key: string,
): { value: T } | undefined {
  if (!cacheDir) return undefined;
  try {
    // An entry is trusted only in the envelope this code writes; anything else is recomputed.
    const entry = JSON.parse(readFileSync(join(cacheDir, 'memo', kind, `${key}.json`), 'utf8')) as {
      memo?: unknown;
      kind?: unknown;
      key?: unknown;
      value?: T;
    };
    if (entry?.memo === 1 && entry.kind === kind && entry.key === key && 'value' in entry)
      return { value: entry.value as T };
  } catch {
    // Not cached yet, or unreadable.
  }
  return undefined;
}
