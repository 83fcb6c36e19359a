import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { UserError } from '../../errors.js';

/** A lock older than this is left over from a crash (no clone or fetch of a spine takes so long). */
const STALE_MS = 10 * 60_000;
const WAIT_MS = 5 * 60_000;

/**
 * Holds `<path>` (created with O_EXCL) while `work` runs, so two spine processes never fetch into
 * the same cache at once. Waits for a live holder; takes over from a dead or stale one.
 */
export async function withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let fd: number | undefined;
  for (let delay = 50; fd === undefined; delay = Math.min(delay * 2, 500)) {
    try {
      fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(path)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new UserError(
          'the spine cache is locked by another spine process; remove the lock if none runs',
          {
            file: path,
          },
        );
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  try {
    return await work();
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}

function isStale(path: string): boolean {
  try {
    if (Date.now() - statSync(path).mtimeMs > STALE_MS) return true;
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written right now
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: the holder is gone. ENOENT: released meanwhile; retry at once.
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ESRCH' || code === 'ENOENT';
  }
}
