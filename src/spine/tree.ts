import type { Problem } from '../core/problems.js';
import type { SpineFile } from './model.js';

/** A spine's files, read from a directory or a git commit, before any parsing. */
export interface SpineTree {
  /** Prefix for paths in messages, e.g. `spine/` or `github:acme/spine@v1.2.0:`. */
  label: string;
  /** POSIX path inside the spine → content. */
  files: Map<string, Buffer>;
  /**
   * Paths of files that are executable (git mode 100755, or any x bit on disk): a skill's script
   * stays runnable wherever it is copied. Git's model: a file is executable or it is not.
   */
  executable: Set<string>;
  /** Problems found while reading (e.g. a symlink that leaves the spine). */
  problems: Problem[];
}

export function displayPath(tree: SpineTree, path: string): string {
  return `${tree.label}${path}`;
}

/** A path inside the spine that could not escape the directory it is copied into. */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path))
    return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !seg.includes('\0'));
}

/** A file as the model carries it: its content, and the x bit when it has one. */
export function spineFile(tree: SpineTree, path: string, content: Buffer): SpineFile {
  return tree.executable.has(path) ? { path, content, executable: true } : { path, content };
}
