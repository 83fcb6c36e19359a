import { GIT_EXECUTABLE } from '../../core/file-mode.js';
import { git } from '../../io/git.js';
import { catBlobs, parseLsTree } from '../../spine/sources/commit-tree.js';
import { runGit } from '../../spine/sources/git.js';
import type { SpineTree } from '../../spine/tree.js';

/** Where a killed `spine extract` stopped: on its new branch, before or just after its commit. */
export interface InterruptedExtract {
  branch: string;
  /** The branch it was made from (and returns to). */
  original: string;
  /** The commit the branch was made from: the spine as it was. */
  base: string;
  /** Paths the killed run changed: in the work tree, or in its commit. */
  dirty: string[];
  /** Its commit, when it got that far (then only the return to `original` is missing). */
  committed?: { commit: string; subject: string };
}

export const BRANCH_PREFIX = 'spine-extract/';
const TXN = '.spine/txn/';
const TEMP = /\.[0-9a-f]{12}\.tmp$/;
/** New or modified files, staged (a kill between `git add` and `git commit`) or not. */
const RUN_CHANGES = new Set(['??', ' M', 'A ', 'M ', 'AM', 'MM']);

/**
 * The branch a killed extract left checked out, found from git's own record (the reflog): made
 * from `original` by the last checkout, with no commit of its own and a work tree whose changes
 * are only new or modified files — or with exactly one commit that only adds or modifies files,
 * and a clean work tree. Anything else (a reflog off, other commits, a file deleted) is
 * undefined: not provably ours.
 */
export async function interruptedExtract(dir: string): Promise<InterruptedExtract | undefined> {
  const branch = await git(dir, ['symbolic-ref', '-q', '--short', 'HEAD']).catch(() => '');
  if (!branch.startsWith(BRANCH_PREFIX)) return undefined;
  const log = (await git(dir, ['reflog', '-n', '2', '--format=%gs', 'HEAD']).catch(() => '')).split('\n');
  const committed = log[0]?.startsWith('commit: ') === true;
  const moved = /^checkout: moving from (\S+) to (\S+)$/.exec(log[committed ? 1 : 0] ?? '');
  if (!moved || moved[2] !== branch || moved[1] === branch) return undefined;
  const original = moved[1]!;
  const own = (await git(dir, ['reflog', '--format=%gs', `refs/heads/${branch}`]).catch(() => '')).split(
    '\n',
  );
  if (own.length !== (committed ? 2 : 1) || !own.at(-1)!.startsWith('branch: Created from')) return undefined;
  const [head, base, from] = await Promise.all([
    git(dir, ['rev-parse', '--verify', '-q', 'HEAD']).catch(() => ''),
    git(dir, ['rev-parse', '--verify', '-q', committed ? 'HEAD^' : 'HEAD']).catch(() => ''),
    git(dir, ['rev-parse', '--verify', '-q', `refs/heads/${original}`]).catch(() => '-'),
  ]);
  if (!head || base !== from) return undefined;
  const status = await git(dir, ['status', '--porcelain', '-z', '--untracked-files=all']);
  const dirty: string[] = [];
  for (const entry of status.split('\0').filter(Boolean)) {
    if (committed || !RUN_CHANGES.has(entry.slice(0, 2))) return undefined;
    dirty.push(entry.slice(3));
  }
  if (!committed) return { branch, original, base, dirty };
  const parents = await git(dir, ['rev-list', '--parents', '-n', '1', 'HEAD']);
  if (parents.split(' ').length !== 2) return undefined;
  const diff = (await git(dir, ['diff', '--no-renames', '--name-status', '-z', base, head])).split('\0');
  for (let k = 0; k + 1 < diff.length; k += 2) {
    if (diff[k] !== 'A' && diff[k] !== 'M') return undefined;
    dirty.push(diff[k + 1]!);
  }
  const subject = await git(dir, ['log', '-1', '--format=%s', 'HEAD']);
  return { branch, original, base, dirty, committed: { commit: head, subject } };
}

/**
 * The spine as it was before the killed run: each path it changed as the commit it started from
 * holds it (or gone when that has none), spine's transaction state left out. A path the commit holds as a
 * link is not one extract writes: undefined.
 */
export async function treeBeforeExtract(
  dir: string,
  tree: SpineTree,
  { base, dirty }: InterruptedExtract,
): Promise<SpineTree | undefined> {
  const files = new Map(tree.files);
  const executable = new Set(tree.executable);
  for (const path of [...files.keys()])
    if (path.startsWith(TXN)) {
      files.delete(path);
      executable.delete(path);
    }
  for (const path of dirty) {
    files.delete(path);
    executable.delete(path);
  }
  if (dirty.length === 0) return { ...tree, files, executable };
  const gitDir = await git(dir, ['rev-parse', '--absolute-git-dir']);
  const listed = await runGit(gitDir, ['ls-tree', '-z', '--full-tree', base, '--', ...dirty]);
  if (listed.exitCode !== 0) return undefined;
  const entries = parseLsTree(listed.stdout.toString('utf8'));
  if (entries.some((e) => e.type !== 'blob' || e.mode === '120000')) return undefined;
  const blobs = await catBlobs(
    gitDir,
    entries.map((e) => e.oid),
  );
  for (const e of entries) {
    files.set(e.path, blobs.get(e.oid)!);
    if (e.mode === GIT_EXECUTABLE) executable.add(e.path);
  }
  return { ...tree, files, executable };
}

/**
 * Whether every change in the work tree is the killed run's own: a file of this plan holding
 * exactly its planned bytes, a write's temporary file beside one, or the transaction's state.
 * (A write is a rename, so a planned file holds its old bytes, which git does not list, or its
 * new ones.) A file someone edited since is not ours, and the run is refused as before.
 */
export function onlyPlannedChanges(
  interrupted: InterruptedExtract,
  planned: { path: string; content: Buffer }[],
  read: (path: string) => Buffer | undefined,
): boolean {
  const byPath = new Map(planned.map((w) => [w.path, w.content]));
  return interrupted.dirty.every((path) => {
    if (path.startsWith(TXN)) return true;
    if (TEMP.test(path)) return byPath.has(path.replace(TEMP, ''));
    const want = byPath.get(path);
    return want !== undefined && read(path)?.equals(want) === true;
  });
}

/** Whether `branch` is one `spine extract` would make for `base` (`base`, or `base-2`, …). */
export function isBranchFor(branch: string, base: string): boolean {
  return branch === base || (branch.startsWith(`${base}-`) && /^\d+$/.test(branch.slice(base.length + 1)));
}
