import { closeSync, mkdirSync, openSync, realpathSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Appends one line with a single write(2) on a file opened O_APPEND. On local filesystems the
 * kernel serialises O_APPEND writes to a regular file, so lines from concurrent processes
 * (parallel tool calls, subagents, two sessions) never interleave or tear, whatever their size.
 * A short write is finished in a loop; it only happens when the disk is full or on a signal.
 */
export function appendLine(file: string, line: string): void {
  const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
  let fd: number;
  try {
    fd = openSync(file, 'a', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(file, 'a', 0o644);
  }
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}

/** Refuses a log file whose directory, symlinks resolved, lies outside `root` (a hostile repo). */
export function assertInside(root: string, file: string): void {
  let dir = dirname(file);
  for (;;) {
    try {
      dir = realpathSync(dir);
      break;
    } catch {
      if (dirname(dir) === dir) return;
      dir = dirname(dir);
    }
  }
  const real = realpathSync(root);
  if (dir !== real && !dir.startsWith(`${real}/`)) {
    throw new Error(
      `the audit directory leads out of the project through a symlink (to ${dir}); not written`,
    );
  }
}
