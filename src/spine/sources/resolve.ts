import { relative, resolve } from 'node:path';
import type { LockSource } from '../../core/lock/lock.js';
import type { Problem } from '../../core/problems.js';
import { UserError } from '../../errors.js';
import { packagePath } from '../../io/package-files.js';
import type { SpineTree } from '../tree.js';
import type { Progress } from './cache.js';
import { readSpineDirectory } from './directory.js';
import type { OpenRepo } from './git-source.js';
import { classifySpec, type SourceSpec } from './spec.js';

/** The spine shipped inside the package (top-level spine/). */
export const EMBEDDED_SPINE_DIR = packagePath('spine/');

export interface SourceRequest {
  /** As the user gave it; undefined means the embedded spine. */
  spec?: string;
  /** Tag, branch or sha of a git source; default: the highest release tag, else the default branch. */
  ref?: string;
  cwd: string;
  /** Use the cache alone: no clone, no fetch. */
  offline: boolean;
  cacheDir: string;
  /** Told about a clone or fetch that takes a while (for a TTY); silent when absent. */
  onProgress?: Progress;
  /**
   * The source's repository as this command opened it a moment ago (doctor checks the locked
   * source, then reads its commit): not opened, listed or fetched a second time.
   */
  opened?: OpenRepo;
}

export interface ResolvedSource {
  tree: SpineTree;
  source: LockSource;
  /**
   * Set when the source was resolved at a release tag `vX.Y.Z` whose spine.yaml names another
   * version. Commands that record the version (init, update, export) refuse it; doctor, which
   * reads a lock's commit, does not look.
   */
  releaseMismatch?: Problem;
  /** Newer release tags passed over for the latest (no ref asked): warnings, never a refusal. */
  skippedReleases?: Problem[];
}

/** Finds a spine and reads its files: the embedded one, a plain directory, or a git commit. */
export async function resolveSpineSource(request: SourceRequest): Promise<ResolvedSource> {
  const { spec, cwd } = request;
  const kind = classifySpec(spec, cwd);
  if (!kind) {
    // Name the path actually tried: a relative --spine is resolved against --cwd.
    const tried = resolve(cwd, spec ?? '');
    throw new UserError(
      `no spine source "${spec}": ${tried} is not a directory, and "${spec}" is not a git URL or github:owner/repo`,
      { file: spec ?? '' },
    );
  }
  if (kind.kind === 'embedded' && request.ref !== undefined) {
    throw new UserError(
      `the embedded spine has one version, so a ref ("${request.ref}") cannot be chosen: give --spine <path|git URL|github:owner/repo>`,
    );
  }
  if (kind.kind === 'embedded') {
    return { tree: readSpineDirectory(EMBEDDED_SPINE_DIR, 'spine/'), source: { spec: 'embedded' } };
  }
  if (kind.kind === 'directory') {
    const label = `${relative(cwd, kind.dir) || '.'}/`;
    return { tree: readSpineDirectory(kind.dir, label), source: { spec: spec! } };
  }
  const key = [kind.kind, kind.url, spec, request.ref ?? '', request.offline, request.cacheDir].join('\0');
  let resolved = resolvedGit.get(key);
  if (!resolved) {
    resolved = resolveGitSource(kind, request);
    resolvedGit.set(key, resolved);
    // A failure is not kept: whoever asks again asks git again.
    resolved.catch(() => resolvedGit.delete(key));
  }
  return resolved;
}

/**
 * Git spines this process has read, by source, ref and mode. A command is one moment in time: a
 * rollout over fifty repositories fetches and reads each spine version once, not once per
 * repository, and every repository it previews moves to the same commit even when a tag lands
 * mid-run. A commit's files never change, and no caller changes a tree it was given.
 */
const resolvedGit = new Map<string, Promise<ResolvedSource>>();

async function resolveGitSource(
  kind: Extract<SourceSpec, { kind: 'local-git' | 'remote-git' }>,
  request: SourceRequest,
): Promise<ResolvedSource> {
  const spec = request.spec;
  // Loaded only for git sources: git and semver are most of a command's start-up otherwise.
  const [{ openGitSource, resolveRef }, { readCommitTreeCached }] = await Promise.all([
    import('./git-source.js'),
    import('./commit-tree.js'),
  ]);
  const repo = request.opened?.url === kind.url ? request.opened : await openGitSource(kind, request);
  const { ref, commit, skipped } = await resolveRef(repo, request.ref);
  const tree = await readCommitTreeCached(repo.gitDir, commit, `${spec}@${ref}:`, request.cacheDir);
  if (!tree.files.has('spine.yaml')) {
    throw new UserError(`not a spine: no spine.yaml at ${ref} (${commit.slice(0, 12)})`, {
      file: `${tree.label}spine.yaml`,
    });
  }
  const isTag = repo.refs.some((r) => r.name === `refs/tags/${ref}`);
  // The YAML parser only for a tag (doctor reads a lock's commit).
  const releaseMismatch = isTag
    ? (await import('../release-version.js')).releaseVersionProblem(
        ref,
        `${tree.label}spine.yaml`,
        tree.files.get('spine.yaml')!.toString('utf8'),
      )
    : undefined;
  return {
    tree,
    source: { spec: spec!, url: repo.url, ref, commit },
    ...(releaseMismatch ? { releaseMismatch } : {}),
    ...(skipped ? { skippedReleases: skipped } : {}),
  };
}
