/**
 * Waiting on another hook process of the same session: whether it is still running, and a pause
 * that blocks this one (hooks are synchronous to the end, so a timer would not do).
 */

/** Whether a process with this id runs (one of another user still counts). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let sleeper: Int32Array | undefined;

/** Blocks for `ms` milliseconds. */
export function pause(ms: number): void {
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, ms);
}
