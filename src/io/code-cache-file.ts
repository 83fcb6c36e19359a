import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { untrustedStore } from './store-trust.js';

/**
 * Where compiled code may be cached, and its files read and written, for the hook's code cache
 * (hooks/code-cache.ts) and the CLI's whole-command files (whole-command.ts) alike. Compiled code
 * runs as the person, outside the sandbox, so it is trusted no more than the code it came from:
 * - only `~/.cache/spine/code-cache`, the directory every rendered sandbox denies writes to
 *   (`spine-stores-read-only`); with `XDG_CACHE_HOME` pointing elsewhere there is no code cache,
 *   since the rendered deny names `~/.cache/spine` and the other directory may be one the agent
 *   can write;
 * - the store must pass `untrustedStore`, checked again after it is created;
 * - a file is read only when it is a regular file, the person's own, no link, not writable by
 *   others.
 * Node builtins only: the hook's entry bundles this file.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const home = env.HOME;
  if (!home?.startsWith('/')) return undefined;
  const base = withoutTrailingSlashes(home);
  const xdg = env.XDG_CACHE_HOME && withoutTrailingSlashes(env.XDG_CACHE_HOME);
  if (xdg && xdg !== `${base}/.cache`) return undefined;
  return `${base}/.cache/spine/code-cache`;
}

/** The store `dir` (a codeCacheDir) if spine may use it now. */
export function trustedCodeCache(dir: string | undefined): string | undefined {
  return dir && !untrustedStore(dir.slice(0, dir.lastIndexOf('/')), dir) ? dir : undefined;
}

/** Larger than any cache file spine writes. */
const MAX_BYTES = 64 * 1024 * 1024;

/** A cache file's bytes, or undefined unless it is a regular file of this user's nobody else may write. */
export function readCodeCacheFile(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile() || stat.size > MAX_BYTES || (stat.mode & 0o022) !== 0) return undefined;
    if (uid !== undefined && stat.uid !== uid) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `name` in the store whole, under a temporary name then renamed, so a reader never sees
 * half of it. False when the store cannot be trusted or written; a cache only costs speed.
 */
export function writeCodeCacheFile(store: string, name: string, data: Buffer): boolean {
  const temp = `${store}/.${name}.${process.pid}.tmp`;
  try {
    mkdirSync(store, { recursive: true, mode: 0o700 });
    // Checked again now it exists: created by us, or by someone else in between.
    if (!trustedCodeCache(store)) return false;
    writeFileSync(temp, data, { flag: 'wx', mode: 0o600 });
    renameSync(temp, `${store}/${name}`);
    return true;
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Never written.
    }
    return false;
  }
}

/** A loop rather than a regular expression: the hook's entry compiles none. */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}
