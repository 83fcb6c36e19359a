import { isText } from '../../core/hash.js';
import type { Lock } from '../../core/lock/lock.js';
import { CLAUDE_MD } from '../../core/render/desired-state.js';
import { hasConflictMarkers } from '../../core/update/conflict-markers.js';
import { UserError } from '../../errors.js';
import { git } from '../../io/git.js';
import { journalExists } from '../../io/journal.js';
import { readInRepo } from '../../io/transaction/index.js';

/** Refuses to start while a previous update is unfinished. */
export function assertNoPendingUpdate(root: string, lock: Lock): void {
  if (journalExists(root) || (lock.pending?.length ?? 0) > 0) {
    throw new UserError(
      'a previous update is not finished: resolve its conflicts and run "spine update --continue", or "spine update --abort"',
      { file: '.spine/lock.json' },
    );
  }
}

/** Refuses when conflict markers are left in any managed file or in CLAUDE.md. */
export function assertNoMarkers(root: string, lock: Lock): void {
  const paths = [...Object.keys(lock.files), CLAUDE_MD].filter((path) => {
    const content = readInRepo(root, path);
    return content !== undefined && isText(content) && hasConflictMarkers(content.toString('utf8'));
  });
  if (paths.length > 0) {
    throw new UserError(
      `conflict markers are left in ${paths.length} file(s); resolve them first`,
      { file: paths[0]! },
      paths,
    );
  }
}

/** Paths with uncommitted changes (staged, unstaged or untracked) among those given. */
export async function dirtyPaths(root: string, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const status = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths]);
  return status
    .split('\0')
    .filter((record) => record.length > 3)
    .map((record) => record.slice(3));
}

export async function assertClean(root: string, paths: string[], allowDirty: boolean): Promise<void> {
  if (allowDirty) return;
  const dirty = await dirtyPaths(root, paths);
  if (dirty.length > 0) {
    throw new UserError(
      `${dirty.length} path(s) the update would change have uncommitted changes; commit or stash them, or pass --allow-dirty`,
      { file: dirty[0]! },
      dirty,
    );
  }
}
