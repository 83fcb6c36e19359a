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
 * The index and the untracked files come from one `ls-files` (`-t` tags each path: `?` untracked,
 * a letter for an index entry), HEAD's tree from `ls-tree`: two git processes where doctor ran
 * four, each a few milliseconds of start-up. Fails as git does when `root` is not a repository.
 */
export async function readGitListing(root: string): Promise<GitListing> {
  const [tagged, head] = await Promise.all([
    git(root, ['ls-files', '-z', '-t', '--cached', '--others', '--exclude-standard']),
    // No HEAD yet (a fresh repository) is an empty tree.
    quiet(git(root, ['ls-tree', '-r', '-z', '--name-only', 'HEAD'])),
  ]);
  const index: string[] = [];
  const untracked: string[] = [];
  for (const line of split(tagged)) (line[0] === '?' ? untracked : index).push(line.slice(2));
  return { index: [...new Set(index)], untracked, head: split(head) };
}

/** What git holds and would pick up; `listing` when the caller has read it already. */
export async function readGitFileFacts(root: string, listing?: Promise<GitListing>): Promise<GitFileFacts> {
  const { index, untracked, head } = await (listing ?? readGitListing(root)).catch(
    (): GitListing => ({ index: [], untracked: [], head: [] }),
  );
  // An untracked CLAUDE.md that ls-files lists is one git does not ignore: no need to ask.
  const claudeMdIgnored =
    !index.includes('CLAUDE.md') &&
    !untracked.includes('CLAUDE.md') &&
    (await git(root, ['check-ignore', '-q', 'CLAUDE.md']).then(
      () => true,
      () => false,
    ));
  return {
    tracked: [...new Set([...index, ...head])].sort(),
    untrackedNotIgnored: untracked,
    claudeMdIgnored,
  };
}
