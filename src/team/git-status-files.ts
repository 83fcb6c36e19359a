import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitFileFacts } from '../core/repo-findings.js';
import { git } from '../io/git.js';

/** The files git knows of, from two listings run side by side. */
export interface GitListing {
  /** Paths in the index. */
  index: string[];
  /** Untracked paths git does not ignore. */
  untracked: string[];
  /** Paths in HEAD's tree (none in a repository without a commit). */
  head: string[];
}

const split = (out: string) => out.split('\0').filter(Boolean);
const quiet = (p: Promise<string>) => p.catch(() => '');

/**
 * Two listings run side by side: the index and the untracked, unignored files in one (`-t` tags
 * each: `?` untracked), HEAD's tree in the other. Fails as git does when `root` is not a
 * repository. Doctor reads it once for the git file facts and the launch directory scan.
 */
export async function readGitListing(root: string): Promise<GitListing> {
  const [listing, head] = await Promise.all([
    git(root, ['ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard']),
    // No HEAD yet (a fresh repository) is an empty tree: not asked when plainly so.
    unbornHead(root) ? '' : quiet(git(root, ['ls-tree', '-r', '-z', '--name-only', 'HEAD'])),
  ]);
  const index: string[] = [];
  const untracked: string[] = [];
  for (const entry of split(listing)) (entry.startsWith('? ') ? untracked : index).push(entry.slice(2));
  return { index, untracked, head: split(head) };
}

/**
 * HEAD names a branch that has no commit yet (just after `git init`, where doctor often runs
 * first): read from `.git` as git stores it by default, so no process is started to list nothing.
 * Anything else (a worktree's `.git` file, the reftable format, a detached HEAD) is left to git.
 */
function unbornHead(root: string): boolean {
  try {
    const gitDir = join(root, '.git');
    if (!lstatSync(gitDir).isDirectory() || existsSync(join(gitDir, 'reftable'))) return false;
    const branch = /^ref: (refs\/heads\/\S+)\s*$/.exec(readFileSync(join(gitDir, 'HEAD'), 'utf8'))?.[1];
    if (!branch || existsSync(join(gitDir, branch))) return false;
    let packed = '';
    try {
      packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8');
    } catch {
      // No packed refs.
    }
    return !packed.split('\n').some((line) => line.endsWith(` ${branch}`));
  } catch {
    return false;
  }
}

/** What git holds and would pick up; `listing` when the caller has started one already. */
export async function readGitFileFacts(
  root: string,
  listing: Promise<GitListing> = readGitListing(root),
): Promise<GitFileFacts> {
  const { index, untracked, head } = await listing.catch(
    (): GitListing => ({ index: [], untracked: [], head: [] }),
  );
  return {
    tracked: [...new Set([...index, ...head])].sort(),
    untrackedNotIgnored: untracked,
    claudeMdIgnored: !index.includes('CLAUDE.md') && (await ignoredClaudeMd(root, untracked)),
  };
}

/**
 * An untracked CLAUDE.md on disk is ignored exactly when the listing left it out; only a missing
 * one (or a folder of that name) needs git's own answer.
 */
async function ignoredClaudeMd(root: string, untracked: string[]): Promise<boolean> {
  let listable = false;
  try {
    listable = !lstatSync(join(root, 'CLAUDE.md')).isDirectory();
  } catch {
    // Not there: ask git whether a CLAUDE.md would be ignored.
  }
  if (listable) return !untracked.includes('CLAUDE.md');
  return git(root, ['check-ignore', '-q', 'CLAUDE.md']).then(
    () => true,
    () => false,
  );
}
