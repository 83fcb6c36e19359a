import { createRequire } from 'node:module';

/**
 * sha256, and node's crypto module loaded on first use. Loading `node:crypto` costs a start about
 * 6 ms (it builds its key, cipher and certificate code before it can hash), more than a warm
 * `spine doctor` spends hashing: a warm doctor knows every digest it needs from its last run
 * (io/digest-memo.ts) and so never loads the module. The only module of the CLI that imports it.
 */

/** Digests known before they are computed: given exactly the bytes, the sha256 of them, hex. */
export interface KnownDigests {
  get(bytes: Buffer): string | undefined;
  /** A digest just computed, to know next time. */
  add(bytes: Buffer, digest: string): void;
}

/**
 * Kept on the global object, not in this module: a command's whole-command file and the lazily
 * loaded chunks it imports each carry their own copy of this module (scripts/build-cli.mjs), and
 * a digest the memo knows must be known to all of them.
 */
const KNOWN = Symbol.for('spine.knownDigests');
const shared = globalThis as { [KNOWN]?: KnownDigests };

/** Installs (or with undefined removes) the digests the process may take as known. */
export function useKnownDigests(digests: KnownDigests | undefined): void {
  shared[KNOWN] = digests;
}

let crypto: typeof import('node:crypto') | undefined;

export function nodeCrypto(): typeof import('node:crypto') {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto;
}

/** The sha256 of the bytes (a string as UTF-8), in hex. */
export function sha256Hex(data: Buffer | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const known = shared[KNOWN];
  const hit = known?.get(bytes);
  if (hit !== undefined) return hit;
  const digest = nodeCrypto().createHash('sha256').update(bytes).digest('hex');
  known?.add(bytes, digest);
  return digest;
}

/** `count` random bytes, in hex (temporary file names). */
export function randomHex(count: number): string {
  return nodeCrypto().randomBytes(count).toString('hex');
}
