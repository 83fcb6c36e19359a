import type { FileChange } from '../../core/plan.js';
import { setModes } from '../../io/file-modes.js';
import { type ApplyHooks, applyChanges } from '../../io/fs.js';

/** A file to write, with its mode when it matters (0o755 for scripts). */
export interface ModedChange extends FileChange {
  mode?: number;
}

/**
 * The one seam through which `spine new` and `spine extract` write: all-or-nothing today through
 * io/fs applyChanges; a crash-safe transaction replaces it here, and nowhere else.
 */
export function writeChanges(root: string, changes: ModedChange[], hooks: ApplyHooks = {}): void {
  applyChanges(root, changes, hooks);
  setModes(root, changes);
}
