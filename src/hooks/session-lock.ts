import { closeSync, constants, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { containedDir, openContained, PlantedLinkError, removeFile } from './append-line.js';
import { pause, processAlive } from './hook-processes.js';

/**
 * One transcript recorder per session at a time. Two of them can run at once: a Stop and the
 * SessionEnd of a client stopped with SIGTERM, two SessionStarts that both rebuild the same killed
 * session. Each reads the log, then appends what it lacks; unserialised, both read before either
 * writes, and every record is written twice. So a recorder holds `<dir>/.cursor/<session>.lock`
 * (created with O_EXCL, holding its pid) while it reads and writes.
 *
 * The lock sits where the agent can write, so it is only ever a reason to wait, briefly: a lock
 * whose process is gone, one held longer than a hook may run, or anything but a small regular
 * file is stale and removed; after WAIT_MS the recorder goes on without it (a record twice is
 * better than none). A link in its place is said and never followed.
 */

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_WRONLY } = constants;

/** How long a recorder waits for another of the same session (a final pass takes milliseconds). */
const WAIT_MS = 3000;
const POLL_MS = 5;
/** No recorder holds the lock longer: the client stops a hook after its 10 s timeout. */
const HELD_MAX_MS = 10_000;
/** Between creating the lock and writing its pid into it: a moment, at most this long. */
const UNNAMED_MAX_MS = 1000;

/** Takes the session's lock (waiting for it, within reason); returns its release. Never throws. */
export function lockSession(root: string, file: string, warn: (message: string) => void): () => void {
  const deadline = Date.now() + WAIT_MS;
  try {
    for (;;) {
      if (created(root, file)) return () => void removed(root, file);
      if (stale(file)) {
        if (removed(root, file)) continue;
        warn(`spine: ${file} is in the way and cannot be removed; recording without the lock`);
        return () => {};
      }
      if (Date.now() >= deadline) {
        warn('spine: another audit recorder of this session did not finish in time; recording anyway');
        return () => {};
      }
      pause(POLL_MS);
    }
  } catch (error) {
    if (error instanceof PlantedLinkError) warn(`spine: ${error.message}`);
    // Not writable (a read-only checkout): nothing to serialise with, the cursor cannot be kept either.
    return () => {};
  }
}

/** Creates the lock with this process's id; false when one is there. */
function created(root: string, file: string): boolean {
  containedDir(root, dirname(file), true);
  let fd: number;
  try {
    fd = openContained(file, O_WRONLY | O_CREAT | O_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Removes the lock; false when it cannot (a link put in its place, another owner's file). */
function removed(root: string, file: string): boolean {
  try {
    removeFile(root, file);
    return true;
  } catch {
    return false;
  }
}

/** Whether the lock in the way belongs to no running recorder. */
function stale(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK')
      throw new PlantedLinkError(`${file} is a symlink; left alone, recording without the lock`);
    // Gone since: try again at once.
    return code === 'ENOENT';
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > 32) return true;
    const age = Date.now() - stat.mtimeMs;
    const text = readFileSync(fd, 'latin1');
    if (!/^[1-9][0-9]{0,9}$/.test(text)) return age > UNNAMED_MAX_MS;
    return !processAlive(Number(text)) || age > HELD_MAX_MS;
  } catch {
    return true;
  } finally {
    closeSync(fd);
  }
}
