import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { untrustedStore } from '../../io/store-trust.js';
import { withLock } from './cache-lock.js';
import { remoteError, runGit } from './git.js';
import { hasLooseRefs } from './packed-refs.js';
import { cacheKey } from './spec.js';

export type Progress = (message: string) => void;

export interface CacheRequest {
  url: string;
  cacheDir: string;
  offline: boolean;
  onProgress?: Progress;
}

/**
 * The git dir of the cached mirror of `url`: cloned the first time, fetched (branches and tags,
 * forced, so a moved tag is seen) on every later use; with `offline`, the cache as it is.
 */
export async function ensureCached({ url, cacheDir, offline, onProgress }: CacheRequest): Promise<string> {
  const key = cacheKey(url);
  const gitDir = join(cacheDir, key);
  assertTrustedCache(cacheDir, gitDir);
  if (offline) {
    if (!existsSync(gitDir)) {
      throw new UserError('not in the spine cache yet; run once without --offline', { file: url });
    }
    // Whether it is a repository at all is asked only when reading it fails (git-source.ts).
    return gitDir;
  }
  mkdirSync(cacheDir, { recursive: true });
  return withLock(join(cacheDir, `${key}.lock`), async () => {
    if (existsSync(gitDir)) {
      await assertRepository(gitDir);
      await slow(onProgress, `fetching ${url}`, async () => {
        const fetched = await runGit(gitDir, ['fetch', '--quiet', '--prune', '--force', '--tags', 'origin']);
        if (fetched.exitCode !== 0) throw remoteError(url, fetched.stderr);
      });
      // A fetch writes the refs it changed as files of their own; packed, the next read of the
      // refs needs no git (packed-refs.ts). Only after a fetch that changed any.
      if (hasLooseRefs(gitDir)) await runGit(gitDir, ['pack-refs', '--all', '--prune']);
      return gitDir;
    }
    // Clone beside the final place and rename: a crash never leaves a half clone in the cache.
    const temp = join(cacheDir, `.${key}.${process.pid}.tmp`);
    rmSync(temp, { recursive: true, force: true });
    try {
      await slow(onProgress, `cloning ${url}`, async () => {
        const cloned = await runGit(undefined, ['clone', '--quiet', '--mirror', url, temp]);
        if (cloned.exitCode !== 0) throw remoteError(url, cloned.stderr);
      });
      renameSync(temp, gitDir);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
    return gitDir;
  });
}

/**
 * update and doctor --fix write what a cached clone says, so a clone someone else could have
 * written (a link, another owner, writable by everyone) is refused before git reads it: its tags,
 * its files, and its config, which git would obey (a `core.fsmonitor` command runs at fetch).
 */
function assertTrustedCache(cacheDir: string, gitDir: string): void {
  const reason = untrustedStore(cacheDir, gitDir);
  if (reason)
    throw new UserError(
      `spine does not use a cache it cannot trust: ${reason}; remove it (or point XDG_CACHE_HOME at a directory only you can write) and run again`,
      { file: gitDir },
    );
}

/** Throws the error a person can act on when the cache entry is not a git repository. */
export async function assertRepository(gitDir: string): Promise<void> {
  const check = await runGit(gitDir, ['rev-parse', '--git-dir']);
  if (check.exitCode !== 0) {
    throw new UserError('the spine cache entry is not a git repository; delete it and retry', {
      file: gitDir,
    });
  }
}

/** Says what is happening only when it takes a while: a quick fetch stays silent. */
async function slow(onProgress: Progress | undefined, message: string, work: () => Promise<void>) {
  const timer = onProgress ? setTimeout(() => onProgress(`${message}…`), 400) : undefined;
  try {
    await work();
  } finally {
    clearTimeout(timer);
  }
}
