import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
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
