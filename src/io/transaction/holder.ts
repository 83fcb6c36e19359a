import { readFileSync } from 'node:fs';

/** Who holds a lock: enough to tell, on this machine, whether that process still runs. */
export interface Holder {
  pid: number;
  /** The process start time in clock ticks since boot (Linux), so a reused pid is not mistaken. */
  start?: number;
  command?: string;
}

/** Field 22 of /proc/<pid>/stat; undefined off Linux or when the process is gone. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const value = Number(fields[19]);
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function currentHolder(command?: string): Holder {
  return { pid: process.pid, start: processStart(process.pid), ...(command ? { command } : {}) };
}

/** Parses a lock file's text; anything else than a holder record (empty, garbage) is undefined. */
export function parseHolder(text: string): Holder | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value = JSON.parse(trimmed) as Holder;
    return Number.isInteger(value?.pid) && value.pid > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True while the recorded process runs; a dead pid, or one reused by another process, is gone. */
export function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.start === undefined) return true;
  const start = processStart(holder.pid);
  return start === undefined || start === holder.start;
}
