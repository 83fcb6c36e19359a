import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { randomHex, sha256Hex } from '../../core/sha256.js';
import { UserError } from '../../errors.js';
import { untrustedStore } from '../store-trust.js';
import { syncDir } from './sync-dir.js';

/**
 * Proof that a record in a repository (the transaction journal, update's record) was written by
 * spine on this machine: the sha256 of every such record spine wrote is kept in the user's state
 * directory, outside the repository, where the agent's sandbox cannot write. A record whose hash
 * is not sealed is never acted on. Read access does not matter (there is no secret to steal), and
 * a seal names exactly the current record, so an old genuine record cannot be replayed.
 */
export interface SealStore {
  /** `<stateDir>/repos/<name>-<hash of the repo's real path>`. */
  dir: string;
  /** The state directory itself, where the trust check starts (absent: only `dir` is checked). */
  stateDir?: string;
}

export type SealName = 'txn-journal' | 'update-record';

export function sealStore(stateDir: string, root: string): SealStore {
  const key = sha256Hex(root).slice(0, 16);
  return { dir: join(stateDir, 'repos', `${basename(root) || 'root'}-${key}`), stateDir };
}

export function contentHash(content: Buffer | string): string {
  return sha256Hex(content);
}

/** The hashes sealed under `name` (none when nothing is). */
export function sealedHashes(store: SealStore, name: SealName): string[] {
  // A seal in a directory someone else could write proves nothing: nothing is sealed.
  if (untrustedStore(store.stateDir ?? store.dir, store.dir)) return [];
  try {
    return readFileSync(join(store.dir, name), 'utf8')
      .split('\n')
      .filter((l) => /^[0-9a-f]{64}$/.test(l));
  } catch {
    return [];
  }
}

export function isSealed(store: SealStore, name: SealName, content: Buffer): boolean {
  return sealedHashes(store, name).includes(contentHash(content));
}

/**
 * Records exactly `hashes` under `name`, durably (temp, fsync, rename, directory sync); an empty
 * list removes the seal, and the repository's state directory once it is empty.
 */
export function setSeal(store: SealStore, name: SealName, hashes: string[]): void {
  const file = join(store.dir, name);
  const unique = [...new Set(hashes)];
  const reason = untrustedStore(store.stateDir ?? store.dir, store.dir);
  if (reason && unique.length === 0) return;
  if (unique.length === 0) {
    rmSync(file, { force: true });
    try {
      rmdirSync(store.dir);
    } catch {
      // Another seal is still there.
    }
    return;
  }
  if (reason)
    throw new UserError(
      `spine does not keep its seals in a state directory it cannot trust: ${reason}; remove it (or point XDG_STATE_HOME at a directory only you can write) and run again`,
      { file: store.dir },
    );
  mkdirSync(store.dir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomHex(6)}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${unique.join('\n')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  syncDir(store.dir);
}
