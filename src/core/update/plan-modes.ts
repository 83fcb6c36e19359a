import { LOCK_EXECUTABLE, mergeExecutable, modeFor } from '../file-mode.js';
import { contentHash } from '../hash.js';
import type { Lock } from '../lock/lock.js';
import type { ManagedFile } from '../render/desired-state.js';
import type { FilesOutcome } from './types.js';

export interface ModesInput {
  lockFiles: Lock['files'];
  theirs: ManagedFile[];
  /** The repo now: bytes of every managed path (as planFiles saw them). */
  ours: Map<string, Buffer | undefined>;
  /** The managed paths that have an x bit now. */
  oursExecutable: Set<string>;
}

/**
 * The x bit of every file of the new version, three-way like content: base is what the lock
 * says spine wrote (a lock without a mode recorded means spine wrote a regular file), theirs the
 * new version, ours the repo. A release that makes a script executable (or not) changes it; a
 * team's own chmod stays unless the release changed the same bit. Sets the mode on the content
 * write of a path, or adds a write of the same bytes when only the mode changes.
 */
export function planModes(input: ModesInput, files: FilesOutcome): void {
  const movedFrom = new Map(files.moves.map((m) => [m.to, m.from]));
  const pendingPaths = new Set(files.pending.map((p) => p.path));
  for (const file of input.theirs) {
    const from = movedFrom.get(file.path) ?? file.path;
    const locked = input.lockFiles[from];
    const theirs = Boolean(file.executable);
    const current = input.ours.get(from);
    const ours = input.oursExecutable.has(from);
    // A new path takes the spine's mode; a path the team deleted stays deleted.
    const final =
      locked === undefined || current === undefined
        ? theirs
        : mergeExecutable(ours, locked.mode === LOCK_EXECUTABLE, theirs);
    const write = files.writes.find((w) => w.path === file.path && w.content !== undefined);
    if (write) {
      // A file moved or created gets its mode explicitly; one rewritten in place only on a change.
      const created = from !== file.path || current === undefined;
      if (created ? final : final !== ours) write.mode = modeFor(final);
    } else if (
      current !== undefined &&
      from === file.path &&
      final !== ours &&
      !pendingPaths.has(file.path) &&
      (locked !== undefined || contentHash(current) === contentHash(file.content))
    ) {
      files.writes.push({ path: file.path, content: current, mode: modeFor(final) });
      files.rows.push({
        status: 'updated',
        path: file.path,
        note: final ? 'made executable' : 'no longer executable',
      });
    }
  }
}
