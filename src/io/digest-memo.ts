import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupBy } from '../core/group-by.js';
import { type KnownDigests, useKnownDigests } from '../core/sha256.js';
import { MONTH_MS, sweepCache } from './cache-sweep.js';
import { writeAtomic } from './fs.js';
import { untrustedStoreOnce } from './store-trust.js';

/**
 * The sha256 digests one command computed in a repository, kept for its next run there together
 * with the bytes each was computed from: `spine doctor` hashes every managed file, the lock and
 * the spine (memo keys, drift), and a warm run finds them all here, so it never loads
 * `node:crypto` (core/sha256.ts). A digest is taken only for exactly the bytes it was computed
 * from, compared in full: the file is no weaker than hashing again, whatever the repository's
 * files now hold. The cache is only an accelerator: a missing, unreadable or malformed file is
 * computed again.
 *
 * Trust: as the memo (io/memo.ts): only in the cache directory, which the rendered sandbox
 * denies writes to, never when its memo directory is a link, someone else's or writable by
 * everyone; the file is opened without following a link.
 */

const MAGIC = Buffer.from('spine-digests-1\n', 'latin1');
/** Larger than anything a run hashes twice; a larger input is hashed each time. */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const DIGEST = /^[0-9a-f]{64}$/;
/**
 * Files kept, the most recently written: one per directory doctor runs in, so a person's
 * repositories, and not every temporary checkout a CI job ever ran it in.
 */
const MAX_PLACES = 64;

interface Entry {
  bytes: Buffer;
  digest: string;
}

/**
 * Runs `work` with the digests the last run in `place` (a repository) kept, then keeps the ones
 * this run used or computed, when it computed any. Without a trusted cache directory, just runs it.
 */
export async function withDigestMemo<T>(
  cacheDir: string | undefined,
  place: string,
  work: () => Promise<T>,
): Promise<T> {
  const file = cacheDir ? digestFile(cacheDir, place) : undefined;
  if (!file) return work();
  const earlier = groupBy(readEntries(file), (entry) => bucket(entry.bytes));
  const used = new Map<string, Entry>();
  let computed = false;
  const digests: KnownDigests = {
    get(bytes) {
      for (const entry of earlier.get(bucket(bytes)) ?? []) {
        if (!entry.bytes.equals(bytes)) continue;
        used.set(entry.digest, entry);
        return entry.digest;
      }
      return undefined;
    },
    add(bytes, digest) {
      if (bytes.length > MAX_ENTRY_BYTES) return;
      computed = true;
      // A copy: the caller may reuse its buffer.
      used.set(digest, { bytes: Buffer.from(bytes), digest });
    },
  };
  useKnownDigests(digests);
  try {
    return await work();
  } finally {
    useKnownDigests(undefined);
    if (computed) writeEntries(file, [...used.values()]);
  }
}

/** The memo file for this place, or undefined when the cache directory may not be used. */
function digestFile(cacheDir: string, place: string): string | undefined {
  const dir = join(cacheDir, 'memo', 'digests');
  if (untrustedStoreOnce(cacheDir, dir)) return undefined;
  return join(dir, `${placeHash(place)}.bin`);
}

/** FNV-1a, 32 bits, in hex: a short name for a repository's path. */
function placeHash(path: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** Where to look for bytes without hashing them: their length and a few bytes at each end. */
function bucket(bytes: Buffer): string {
  const ends = bytes.length <= 32 ? bytes : Buffer.concat([bytes.subarray(0, 16), bytes.subarray(-16)]);
  return `${bytes.length}:${ends.toString('latin1')}`;
}

/**
 * The file: MAGIC, then per entry the length of the bytes (4 bytes, little-endian), the bytes,
 * and their digest (64 hex characters). Anything malformed reads as no entries at all.
 */
function readEntries(file: string): Entry[] {
  let data: Buffer;
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return [];
      data = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) return [];
  const entries: Entry[] = [];
  let at = MAGIC.length;
  while (at < data.length) {
    if (at + 4 > data.length) return [];
    const length = data.readUInt32LE(at);
    const end = at + 4 + length;
    if (length > MAX_ENTRY_BYTES || end + 64 > data.length) return [];
    const digest = data.toString('latin1', end, end + 64);
    if (!DIGEST.test(digest)) return [];
    entries.push({ bytes: data.subarray(at + 4, end), digest });
    at = end + 64;
  }
  return entries;
}

function writeEntries(file: string, entries: Entry[]): void {
  const parts: Buffer[] = [MAGIC];
  for (const { bytes, digest } of entries) {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    parts.push(length, bytes, Buffer.from(digest, 'latin1'));
  }
  try {
    // It holds copies of the repository's files: the user's alone, as the code cache.
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    writeAtomic(file, Buffer.concat(parts), 0o600);
    sweepCache(join(file, '..'), {
      kept: file,
      ending: '.bin',
      maxEntries: MAX_PLACES,
      maxAgeMs: MONTH_MS,
    });
  } catch {
    // A read-only or full cache only costs the next run its hashing.
  }
}
