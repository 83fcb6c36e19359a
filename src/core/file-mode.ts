/**
 * File modes as git keeps them: a file is executable or it is not. Anything with an x bit is
 * written as 0o755, anything else as 0o644, so a skill's script stays runnable in a team repo
 * and in an exported plugin, and `git add` records 100755 for it.
 */
export const EXECUTABLE_MODE = 0o755;
export const REGULAR_MODE = 0o644;

/** Git's tree-entry mode of an executable file (`git ls-tree`). */
export const GIT_EXECUTABLE = '100755';

/** How the lock spells an executable managed file's mode; absent means a regular file. */
export const LOCK_EXECUTABLE = '755';

export function isExecutableMode(mode: number): boolean {
  return (mode & 0o111) !== 0;
}

/** The mode to write a file with: 0o755 or 0o644. */
export function modeFor(executable: boolean): number {
  return executable ? EXECUTABLE_MODE : REGULAR_MODE;
}

/** Three-way on the x bit, like content: a side that changed it wins; both changing agree. */
export function mergeExecutable(ours: boolean, base: boolean, theirs: boolean): boolean {
  return ours === base ? theirs : ours;
}
