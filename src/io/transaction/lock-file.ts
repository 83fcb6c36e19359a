import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { randomHex } from '../../core/sha256.js';
import { UserError } from '../../errors.js';
import { currentHolder, type Holder, isAlive, parseHolder } from './holder.js';

export interface LockFileOptions {
  /** How long to wait for a live holder before giving up with exit 2. */
  waitMs: number;
  /** What the lock guards, for the message: "this repository", "the spine cache". */
  guards: string;
  command?: string;
  /** The lock's name in messages (a repo-relative path); defaults to `path`. */
  display?: string;
  /** Also stale when older than this, even with a live holder (work that never takes so long). */
  staleAfterMs?: number;
}

/**
 * Takes `path` as a lock file, git style: the holder record is written to a temp file first and
 * hard-linked into place, so the lock never exists empty. A lock that is empty, unreadable or
 * names a process that is gone is stale and taken over at once; a live holder is waited for.
 * Returns the release function.
 */
export async function acquireLockFile(path: string, options: LockFileOptions): Promise<() => void> {
  const mine = `${JSON.stringify(currentHolder(options.command))}\n`;
  const deadline = Date.now() + options.waitMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (tryCreate(path, mine)) {
      return () => {
        if (readText(path) === mine) rmSync(path, { force: true });
      };
    }
    const text = readText(path);
    if (text === undefined) continue; // released meanwhile
    const holder = parseHolder(text);
    if (!holder || !isAlive(holder) || tooOld(path, options.staleAfterMs)) {
      // Remove only what we judged: a new holder may have replaced it since.
      if (readText(path) === text) rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw heldBy(options.display ?? path, holder, options.guards);
    await new Promise((r) => setTimeout(r, delay));
  }
}

function tryCreate(path: string, content: string): boolean {
  const temp = `${path}.${randomHex(6)}.tmp`;
  try {
    try {
      writeFileSync(temp, content, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dirname(path), { recursive: true }); // a finishing writer tidied the directory away
      return false;
    }
    try {
      linkSync(temp, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOENT') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
      return createExclusive(path, content); // a file system without hard links
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

function createExclusive(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function heldBy(path: string, holder: Holder, guards: string): UserError {
  const who = holder.command ? `"spine ${holder.command}" (pid ${holder.pid})` : `pid ${holder.pid}`;
  return new UserError(
    `${guards} is locked by another spine process, ${who}; wait for it to finish, or remove the lock file if that process is not spine`,
    { file: path },
  );
}

function tooOld(path: string, limit: number | undefined): boolean {
  if (limit === undefined) return false;
  try {
    return Date.now() - statSync(path).mtimeMs > limit;
  } catch {
    return false;
  }
}
