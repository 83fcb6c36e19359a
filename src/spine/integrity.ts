import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import gt from 'semver/functions/gt.js';
import { contentHash } from '../core/hash.js';
import type { Lock, LockSource } from '../core/lock/lock.js';
import { UserError } from '../errors.js';
import type { Progress } from './sources/cache.js';
import { hasCommitIn, type OpenRepo, openGitSource } from './sources/git-source.js';
import { findNamedRef, type Release, releasesOf } from './sources/refs.js';
import { sortReleases } from './sources/release-manifests.js';
import { classifySpec } from './sources/spec.js';

export type { Release } from './sources/refs.js';

export interface SourceCheckOptions {
  cwd: string;
  offline: boolean;
  cacheDir: string;
  onProgress?: Progress;
}

export interface LockedSourceCheck {
  /** False when the locked commit is gone from the repository (history rewritten). */
  commitExists: boolean;
  /** The locked ref is a tag that now points elsewhere: reported, never followed. */
  tagMoved?: { tag: string; locked: string; now: string };
  /** The highest release tag of the repository whose spine.yaml holds its version. */
  latestRelease?: string;
  /** Release tags newer than the locked one, highest first. */
  releasesAhead?: string[];
}

export type ManagedFileStatus = 'ok' | 'edited' | 'missing';

/** Release tags `vX.Y.Z` of a git source, highest first; empty for embedded and plain directories. */
export async function listReleases(source: LockSource, options: SourceCheckOptions): Promise<Release[]> {
  const repo = await openLockedSource(source, options);
  return repo ? releasesOf(repo.refs) : [];
}

/** Compares a lock's source with its repository now (fetched unless offline). */
export async function checkLockedSource(
  source: LockSource,
  options: SourceCheckOptions,
  /** The repository as openLockedSource gave it, when the caller opened it already. */
  opened?: OpenRepo,
): Promise<LockedSourceCheck> {
  const repo = opened ?? (await openLockedSource(source, options));
  if (!repo || !source.commit) return { commitExists: true };
  // Only releases a team can move to: a tag whose spine.yaml disagrees is refused by update.
  const { valid: releases } = await sortReleases(repo.gitDir, repo.refs, options.cacheDir);
  const result: LockedSourceCheck = {
    commitExists: await hasCommitIn(repo, source.commit),
    latestRelease: releases[0]?.tag,
  };
  const tag = source.ref ? findNamedRef(repo.refs, `refs/tags/${source.ref}`) : undefined;
  if (tag && tag.commit !== source.commit) {
    result.tagMoved = { tag: source.ref!, locked: source.commit, now: tag.commit };
  }
  const base = versionOfTag(source.ref) ?? releases.find((r) => r.commit === source.commit)?.version;
  if (base) result.releasesAhead = releases.filter((r) => gt(r.version, base)).map((r) => r.tag);
  return result;
}

/** Each managed file of the lock, re-hashed: unchanged, edited since spine wrote it, or gone. */
export function verifyManagedFiles(
  root: string,
  lock: Pick<Lock, 'files'>,
): { path: string; status: ManagedFileStatus }[] {
  return Object.keys(lock.files)
    .sort()
    .map((path) => {
      let content: Buffer;
      try {
        content = readFileSync(join(root, path));
      } catch {
        return { path, status: 'missing' as const };
      }
      return { path, status: contentHash(content) === lock.files[path]!.hash ? 'ok' : 'edited' };
    });
}

/** The repository of a git source (fetched unless offline); undefined for other sources. */
export async function openLockedSource(
  source: LockSource,
  options: SourceCheckOptions,
): Promise<OpenRepo | undefined> {
  // The URL is absolute (a normalised URL or the repository's path); the spec may be relative.
  const kind = classifySpec(source.url ?? source.spec, options.cwd);
  if (!kind) throw new UserError('the locked spine source is not found', { file: source.url ?? source.spec });
  if (kind.kind !== 'local-git' && kind.kind !== 'remote-git') return undefined;
  return openGitSource(kind, options);
}

function versionOfTag(ref: string | undefined): string | undefined {
  const match = ref ? /^v(\d+\.\d+\.\d+)$/.exec(ref) : null;
  return match ? match[1] : undefined;
}
