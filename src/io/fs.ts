import { mkdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FileChange } from '../core/plan.js';
import { writeTarget } from './transaction/contain.js';
import { missingDirs, replaceFile } from './transaction/file-ops.js';

export function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes through a temp file in the same directory and a rename, so readers never see half a
 * file; with `mode`, the file has it from the moment it appears. The transaction's own write.
 */
export const writeAtomic: (path: string, content: Buffer | string, mode?: number) => void = replaceFile;

export interface ApplyHooks {
  /** Called before each write; a test throws here to prove the rollback. */
  beforeWrite?: (path: string, index: number) => void;
}

/**
 * Applies a plan all-or-nothing: each file is written atomically (with its mode, when the change
 * gives one), and if any write fails every file already written is put back as it was (mode
 * included) and every directory created is removed.
 */
export function applyChanges(root: string, changes: FileChange[], hooks: ApplyHooks = {}): void {
  const undo: (() => void)[] = [];
  try {
    changes.forEach((change, index) => {
      const target = insideRoot(root, change.path);
      for (const dir of missingDirs(root, dirname(target))) {
        mkdirSync(dir);
        undo.push(() => rmdirSync(dir));
      }
      const before = readIfExists(target);
      const beforeMode = before === undefined ? undefined : statSync(target).mode & 0o7777;
      hooks.beforeWrite?.(change.path, index);
      writeAtomic(target, change.content, change.mode);
      undo.push(
        before === undefined
          ? () => rmSync(target, { force: true })
          : () => writeAtomic(target, before, beforeMode),
      );
    });
  } catch (error) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // Keep undoing the rest; the original error is what the user needs to see.
      }
    }
    throw error;
  }
}

/** Resolves a root-relative path; one that leaves the root (`..` or a symlink) is exit 2. */
export function insideRoot(root: string, relPath: string): string {
  return writeTarget(root, relPath).path;
}
