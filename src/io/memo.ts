import { closeSync, constants, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../core/sha256.js';
import { MONTH_MS, sweepCache } from './cache-sweep.js';
import { writeAtomic } from './fs.js';
import { buildId } from './package-files.js';
import { untrustedStoreOnce } from './store-trust.js';

/** A stable key for content: sha256 over the parts and the build id (other code re-checks). */
export function memoKey(...parts: (string | Buffer)[]): string {
  // One buffer, the bytes the incremental hash was given: a digest known from an earlier run
  // (io/digest-memo.ts) is found for it without loading crypto.
  const bytes: Buffer[] = [Buffer.from(buildId(), 'utf8')];
  for (const part of parts) bytes.push(NUL, typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  return sha256Hex(Buffer.concat(bytes));
}

const NUL = Buffer.from([0]);

/**
 * Entries kept per kind, the most recently written; one not written for a month goes too. A memo
 * entry is written once per content (a spine release, a settings file as it stands), so this is
 * many releases and edits of every repository a person works in, and not every one a CI job ever
 * checked.
 */
const MAX_ENTRIES = 256;

/**
 * Results computed from content alone (a spine loaded and checked, a settings file validated),
 * kept in the cache directory under a hash of that content. A warm doctor skips YAML parsing and
 * schema validation entirely. The cache is only an accelerator: any failure to read or write it
 * falls back to computing.
 *
 * Trust: a hit is believed without re-checking, so the memo must be a place only this user's own
 * spine writes. The sandbox denies writes to `~/.cache/spine` (spine-stores-read-only), `doctor`
 * reports a cache directory the sandbox can write, and a memo directory that is a link, owned by
 * someone else or writable by everyone is not used at all (computed instead); an entry file is
 * opened without following a link.
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
  const dir = join(cacheDir, 'memo', kind);
  if (untrustedStoreOnce(cacheDir, dir)) return value;
  try {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${key}.json`);
    writeAtomic(file, JSON.stringify({ memo: 1, kind, key, value }));
    sweepCache(dir, { kept: file, ending: '.json', maxEntries: MAX_ENTRIES, maxAgeMs: MONTH_MS });
  } catch {
    // A read-only or full cache only costs speed.
  }
  return value;
}

/**
 * The memoised result for `key`, if there is one (trusted as memoJson trusts it): for a caller
 * that can skip work before computing.
 */
export function readMemo<T>(
  cacheDir: string | undefined,
  kind: string,
  key: string,
): { value: T } | undefined {
  if (!cacheDir) return undefined;
  const dir = join(cacheDir, 'memo', kind);
  if (untrustedStoreOnce(cacheDir, dir)) return undefined;
  try {
    // An entry is trusted only in the envelope this code writes; anything else is recomputed.
    const entry = JSON.parse(readNoFollow(join(dir, `${key}.json`))) as {
      memo?: unknown;
      kind?: unknown;
      key?: unknown;
      value?: T;
    };
    if (entry?.memo === 1 && entry.kind === kind && entry.key === key && 'value' in entry)
      return { value: entry.value as T };
  } catch {
    // Not cached yet, or unreadable: compute it.
  }
  return undefined;
}

function readNoFollow(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
