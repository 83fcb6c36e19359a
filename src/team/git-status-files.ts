import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitFileFacts } from '../core/repo-findings.js';
import { git } from '../io/git.js';

/** The files git knows of. */
export interface GitListing {
  /** Paths in the index. */
  index: string[];
  /** Untracked paths git does not ignore. */
  untracked: string[];
  /** Paths in HEAD's tree that the index no longer has: staged deletions. */
  headOnly: string[];
}

const split = (out: string) => out.split('\0').filter(Boolean);
const quiet = (p: Promise<string>) => p.catch(() => '');
const LIST = ['ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard'];

/**
 * The index, the untracked files git does not ignore, and what HEAD has beyond the index. Mostly
 * one git process: `--with-tree=HEAD` lays HEAD's tree over the index, so the listing names what
 * only HEAD has as well, tagged `M` as git tags an unmerged path. A listing with any `M` (a staged
 * deletion, a merge in conflict) is read again as two listings, the index and HEAD's tree, which
 * tell those apart; so is one that fails (a HEAD git cannot read). A process is most of what a
 * listing costs doctor: forking node is dearer than git's own work on a team repository.
 * Fails as git does when `root` is not a repository. Doctor reads it once for the git file facts
 * and the launch directory scan.
 */
export async function readGitListing(root: string): Promise<GitListing> {
  // No HEAD yet (a fresh repository): the index is all there is, and nothing is laid over it.
  if (unbornHead(root)) return { ...tagged(await git(root, LIST)), headOnly: [] };
  const overlaid = await git(root, [...LIST, '--with-tree=HEAD']).catch(() => undefined);
  if (overlaid !== undefined && !overlaid.startsWith('M ') && !overlaid.includes('\0M ')) {
    return { ...tagged(overlaid), headOnly: [] };
  }
  const [listing, head] = await Promise.all([
    git(root, LIST),
    quiet(git(root, ['ls-tree', '-r', '-z', '--name-only', 'HEAD'])),
  ]);
  const { index, untracked } = tagged(listing);
  const inIndex = new Set(index);
  return { index, untracked, headOnly: split(head).filter((path) => !inIndex.has(path)) };
}

/**
 * Listings started ahead, by root, each taken once. On the global object so that every bundled
 * copy of this module (doctor-main.cjs starts one before doctor's own file is loaded) shares them.
 */
const STARTED = Symbol.for('spine.gitListings');
const shared = globalThis as { [STARTED]?: Map<string, Promise<GitListing>> };
const started = shared[STARTED] ?? new Map<string, Promise<GitListing>>();
shared[STARTED] = started;

/**
 * Starts listing `root` now, for the `takeGitListing` that comes later in this process: git then
 * runs while node loads the command's code, and node forks it while its heap is still small (a
 * fork costs in proportion to the memory the process has touched). Only for a command that takes
 * it before changing anything in the repository: the listing is of the moment it was started.
 */
export function startGitListing(root: string): void {
  if (started.has(root)) return;
  const listing = readGitListing(root);
  listing.catch(() => {}); // taken, and its failure reported, by takeGitListing's caller
  started.set(root, listing);
}

/** The listing started for `root`, once; else a listing started now. */
export function takeGitListing(root: string): Promise<GitListing> {
  const listing = started.get(root);
  if (!listing) return readGitListing(root);
  started.delete(root);
  return listing;
}

/** `ls-files -t` output: the untracked paths (tagged `?`) and the rest. */
function tagged(listing: string): Pick<GitListing, 'index' | 'untracked'> {
  const index: string[] = [];
  const untracked: string[] = [];
  for (const entry of split(listing)) (entry.startsWith('? ') ? untracked : index).push(entry.slice(2));
  return { index, untracked };
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
  const { index, untracked, headOnly } = await listing.catch(
    (): GitListing => ({ index: [], untracked: [], headOnly: [] }),
  );
  return {
    tracked: [...new Set([...index, ...headOnly])].sort(),
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
