import gt from 'semver/functions/gt.js';
import type { Problem } from '../../core/problems.js';
import { UserError } from '../../errors.js';
import { assertRepository, ensureCached, type Progress } from './cache.js';
import { gitText, runGit } from './git.js';
import { readPackedRefs } from './packed-refs.js';
import { findNamedRef, type GitRef, looksLikeSha, nearestTags, parseRefs, tagsOf } from './refs.js';
import { sortReleases } from './release-manifests.js';
import type { SourceSpec } from './spec.js';

export interface OpenOptions {
  offline: boolean;
  cacheDir: string;
  onProgress?: Progress;
}

/** A git spine ready to read: its git dir (the repository itself, or the cached mirror) and refs. */
export interface OpenRepo {
  url: string;
  gitDir: string;
  refs: GitRef[];
}

/** Opens a git spine: its git dir (the repository itself, or the cached mirror, fetched unless offline) and refs. */
export async function openGitSource(
  spec: Extract<SourceSpec, { kind: 'local-git' | 'remote-git' }>,
  options: OpenOptions,
): Promise<OpenRepo> {
  const gitDir =
    spec.kind === 'local-git'
      ? await readable(spec.url, () =>
          gitText(undefined, ['-C', spec.dir, 'rev-parse', '--absolute-git-dir']),
        )
      : await ensureCached({ url: spec.url, ...options });
  // A cached clone keeps its refs packed: read without git when they are.
  const packed = readPackedRefs(gitDir);
  if (packed) return { url: spec.url, gitDir, refs: packed };
  const listed = await readable(spec.url, async () => {
    try {
      return await gitText(gitDir, [
        'for-each-ref',
        '--format=%(objectname) %(*objectname) %(refname)',
        'refs/tags',
        'refs/heads',
      ]);
    } catch (error) {
      // A cache entry that is no repository at all is said so (checked only now: one git process
      // less on every offline read).
      if (spec.kind === 'remote-git') await assertRepository(gitDir);
      throw error;
    }
  });
  return { url: spec.url, gitDir, refs: parseRefs(listed) };
}

async function readable<T>(url: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new UserError(`not a readable git repository: ${(error as Error).message}`, { file: url });
  }
}

export interface ResolvedRef {
  /** The ref as asked, or the release tag / branch chosen for the user. */
  ref: string;
  commit: string;
  /** Newer release tags passed over when choosing the latest: their spine.yaml disagrees with them. */
  skipped?: Problem[];
}

/** `--ref` as a tag, branch or sha; without one, the highest release, else the default branch. */
export async function resolveRef(repo: OpenRepo, ref: string | undefined): Promise<ResolvedRef> {
  if (ref === undefined) {
    const { valid, bad } = await sortReleases(repo.gitDir, repo.refs);
    // With no usable release at all, the newest tag is taken so that resolving it says why.
    if (valid.length === 0 && bad[0]) return { ref: bad[0].tag, commit: bad[0].commit };
    const latest = valid[0];
    if (latest) {
      const skipped = bad
        .filter((b) => gt(b.version, latest.version))
        .map(
          (b): Problem => ({
            ...b.problem,
            severity: 'warning',
            message: `passed over ${b.tag}: ${b.problem.message}`,
          }),
        );
      return { ref: latest.tag, commit: latest.commit, ...(skipped.length ? { skipped } : {}) };
    }
    const head = await runGit(repo.gitDir, ['symbolic-ref', '-q', 'HEAD']);
    const branch = head.stdout.toString('utf8').trim();
    const found =
      repo.refs.find((r) => r.name === branch) ?? repo.refs.find((r) => r.name.startsWith('refs/heads/'));
    if (!found) {
      throw new UserError('not a spine: no spine.yaml (the repository has no commits)', {
        file: `${repo.url}/spine.yaml`,
      });
    }
    return { ref: found.name.replace(/^refs\/heads\//, ''), commit: found.commit };
  }
  const named = findNamedRef(repo.refs, ref);
  if (named) return { ref, commit: named.commit };
  // A whole commit id, as a lock records it: the one question hasCommit also answers.
  if (/^[0-9a-f]{40}$/.test(ref) && (await hasCommitIn(repo, ref))) return { ref, commit: ref };
  if (looksLikeSha(ref)) {
    const sha = await runGit(repo.gitDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (sha.exitCode === 0) return { ref, commit: sha.stdout.toString('utf8').trim() };
  }
  const near = nearestTags(ref, tagsOf(repo.refs));
  const hint = near.length > 0 ? `; nearest tags: ${near.join(', ')}` : '; the repository has no tags';
  throw new UserError(`unknown ref "${ref}"${hint}`, { file: repo.url });
}

/**
 * True when the commit is in the repository. A commit one of its refs points at is (a lock's
 * commit is most often its release tag's): git is asked only for any other.
 */
export function hasCommitIn(repo: OpenRepo, commit: string): Promise<boolean> {
  if (repo.refs.some((ref) => ref.commit === commit)) return Promise.resolve(true);
  return hasCommit(repo.gitDir, commit);
}

/**
 * True when the commit is in the repository (a locked commit may have been force-pushed away).
 * Found once per process: a commit in a repository stays there for the moment a command lasts.
 */
function hasCommit(gitDir: string, commit: string): Promise<boolean> {
  const key = `${gitDir}\0${commit}`;
  let known = commits.get(key);
  if (!known) {
    known = runGit(gitDir, ['cat-file', '-e', `${commit}^{commit}`]).then((r) => r.exitCode === 0);
    commits.set(key, known);
    // Only a commit found is kept: a fetch later in the process may bring one that is missing.
    known.then(
      (found) => found || commits.delete(key),
      () => commits.delete(key),
    );
  }
  return known;
}

const commits = new Map<string, Promise<boolean>>();
