import { acquireLockFile } from '../../io/transaction/lock-file.js';

/** A lock older than this is left over from a crash (no clone or fetch of a spine takes so long). */
const STALE_MS = 10 * 60_000;
const WAIT_MS = 5 * 60_000;

/**
 * Holds `<path>` while `work` runs, so two spine processes never fetch into the same cache at
 * once. Waits for a live holder; a lock that is empty, unreadable or names a process that is gone
 * (pid and start time) is stale at once and taken over.
 */
export async function withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const release = await acquireLockFile(path, {
    waitMs: WAIT_MS,
    guards: 'the spine cache',
    staleAfterMs: STALE_MS,
  });
  try {
    return await work();
  } finally {
    release();
  }
}
