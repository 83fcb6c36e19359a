import { readdirSync } from 'node:fs';
import { createFile, removeDir, removeFile } from './append-line.js';
import { pause, processAlive } from './hook-processes.js';

/**
 * Async audit writers and the session's closing barrier. Claude Code runs the audit-only events
 * with `async: true` (off the agent's path) but kills async hooks still running when a session
 * ends. So each async writer leaves a marker `<audit dir>/.pending/<session>.<pid>` while it
 * works, and the synchronous Stop and SessionEnd hooks wait for the session's markers to go
 * before they return: the client reaches its kill only after every earlier record is written.
 */

/** Events the client runs synchronously (settings-entries.ts BLOCKING_EVENTS, kept equal by a test). */
export const BLOCKING_EVENTS: ReadonlySet<string> = new Set([
  'PreToolUse',
  'PreSkillShellCommand',
  'Stop',
  'SessionEnd',
]);
/** Events that close a session (or a turn) and wait for the session's async writers. */
const BARRIER_EVENTS = new Set(['Stop', 'SessionEnd']);
const WAIT_MS = 3000;
const POLL_MS = 5;

export function isBarrier(event: string): boolean {
  return BARRIER_EVENTS.has(event);
}

export function pendingDir(auditDir: string): string {
  return `${auditDir.replace(/\/+$/, '')}/.pending`;
}

function sessionTag(session: string | undefined): string {
  return (session ?? 'none').replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Marks this async writer as in flight; returns the release. Never throws. */
export function markPending(
  auditDir: string,
  event: string,
  session: string | undefined,
  root: string,
  warn: (message: string) => void = () => {},
): () => void {
  if (BLOCKING_EVENTS.has(event)) return () => {};
  const dir = pendingDir(auditDir);
  const file = `${dir}/${sessionTag(session)}.${process.pid}`;
  try {
    createFile(root, file);
  } catch (error) {
    warn(`spine: could not mark the audit writer in flight: ${(error as Error).message}`);
    return () => {};
  }
  return () => {
    try {
      removeFile(root, file);
      // Leave the audit directory as it was: the marker directory exists only while in use.
      removeDir(root, dir);
    } catch {
      // Already gone, or another writer still in flight: nothing more to do.
    }
  };
}

/**
 * On Stop and SessionEnd: waits (bounded) until no async writer of this session is in flight.
 * A marker whose process is gone (killed before it could release) is removed, not waited for.
 */
export function awaitPending(
  auditDir: string,
  event: string,
  session: string | undefined,
  root: string,
): void {
  if (!BARRIER_EVENTS.has(event)) return;
  const dir = pendingDir(auditDir);
  const prefix = `${sessionTag(session)}.`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.startsWith(prefix));
    } catch {
      return;
    }
    const live = names.filter((n) => {
      const pid = Number(n.slice(prefix.length));
      if (processAlive(pid)) return true;
      try {
        removeFile(root, `${dir}/${n}`);
        removeDir(root, dir);
      } catch {
        // Another closer removed it first.
      }
      return false;
    });
    if (live.length === 0 || Date.now() >= deadline) return;
    pause(POLL_MS);
  }
}
