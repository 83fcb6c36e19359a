import { closeSync, fsyncSync, openSync } from 'node:fs';

/** Makes a rename inside `dir` durable. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every file system lets a directory be synced; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
