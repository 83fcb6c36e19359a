import type { GitFileFacts } from '../core/repo-findings.js';
import { git } from '../io/git.js';

const split = (out: string) => out.split('\0').filter(Boolean);
const quiet = (p: Promise<string>) => p.catch(() => '');

/** What git holds and would pick up: three listings run side by side, one ignore check. */
export async function readGitFileFacts(root: string): Promise<GitFileFacts> {
  const [index, head, untracked] = await Promise.all([
    quiet(git(root, ['ls-files', '-z'])),
    // No HEAD yet (a fresh repository) is an empty tree.
    quiet(git(root, ['ls-tree', '-r', '-z', '--name-only', 'HEAD'])),
    quiet(git(root, ['ls-files', '-z', '--others', '--exclude-standard'])),
  ]).then((outs) => outs.map(split));
  const claudeMdIgnored =
    !index!.includes('CLAUDE.md') &&
    (await git(root, ['check-ignore', '-q', 'CLAUDE.md']).then(
      () => true,
      () => false,
    ));
  return {
    tracked: [...new Set([...index!, ...head!])].sort(),
    untrackedNotIgnored: untracked!,
    claudeMdIgnored,
  };
}
