import { GIT_EXECUTABLE } from '../../core/file-mode.js';
import { git } from '../../io/git.js';
import { catBlobs, parseLsTree } from '../../spine/sources/commit-tree.js';
import { runGit } from '../../spine/sources/git.js';
import type { SpineTree } from '../../spine/tree.js';

/** Where a killed `spine extract` stopped: on its new branch, before the commit. */
export interface InterruptedExtract {
  branch: string;
  /** The branch it was made from (and returns to). */
  original: string;
  /** Work-tree paths that differ from the branch's commit. */
  dirty: string[];
}

export const BRANCH_PREFIX = 'spine-extract/';
const TXN = '.spine/txn/';
const TEMP = /\.[0-9a-f]{12}\.tmp$/;

/**
 * The branch a killed extract left checked out, found from git's own record (the reflog): made
 * from `original` by the last checkout, no commit of its own, and a work tree whose changes are
 * only new or modified files. Anything else (a reflog off, a commit made, a file deleted or
 * staged) is undefined: not provably ours.
 */
export async function interruptedExtract(dir: string): Promise<InterruptedExtract | undefined> {
  const branch = await git(dir, ['symbolic-ref', '-q', '--short', 'HEAD']).catch(() => '');
  if (!branch.startsWith(BRANCH_PREFIX)) return undefined;
  const last = await git(dir, ['reflog', '-n', '1', '--format=%gs', 'HEAD']).catch(() => '');
  const moved = /^checkout: moving from (\S+) to (\S+)$/.exec(last);
  if (!moved || moved[2] !== branch || moved[1] === branch) return undefined;
  const original = moved[1]!;
  const own = await git(dir, ['reflog', '--format=%gs', `refs/heads/${branch}`]).catch(() => '');
  if (own.split('\n').length !== 1 || !own.startsWith('branch: Created from')) return undefined;
  const [head, from] = await Promise.all([
    git(dir, ['rev-parse', '--verify', '-q', 'HEAD']).catch(() => ''),
    git(dir, ['rev-parse', '--verify', '-q', `refs/heads/${original}`]).catch(() => '-'),
  ]);
  if (!head || head !== from) return undefined;
  const status = await git(dir, ['status', '--porcelain', '-z', '--untracked-files=all']);
  const dirty: string[] = [];
  for (const entry of status.split('\0').filter(Boolean)) {
    const code = entry.slice(0, 2);
    if (code !== '??' && code !== ' M') return undefined;
    dirty.push(entry.slice(3));
  }
  return { branch, original, dirty };
}

/**
 * The spine as it was before the killed run: each dirty path as its commit holds it (or gone
 * when the commit has none), spine's transaction state left out. A path the commit holds as a
 * link is not one extract writes: undefined.
 */
export async function treeBeforeExtract(
  dir: string,
  tree: SpineTree,
  dirty: string[],
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
  const listed = await runGit(gitDir, ['ls-tree', '-z', '--full-tree', 'HEAD', '--', ...dirty]);
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
