import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createFile, removeFile, replaceFile } from './append-line.js';
import type { AuditRecord } from './types.js';

/** How far back the outbox looks for sessions not yet shipped, and how long a silent session is "over". */
export const LOOKBACK_DAYS = 7;
const QUIET_MS = 6 * 3600_000;
const MAX_SESSIONS_PER_EXPORT = 500;
const STATE_FILE = 'otlp-shipped.json';
const LOCK_FILE = 'otlp-export.lock';

/**
 * The outbox is the audit log itself plus a watermark: the ids of sessions already shipped (with
 * their day, pruned past the look-back). A session is ready to ship once it has ended (SessionEnd)
 * or has been silent for hours (a killed session never sends SessionEnd).
 */
export function pendingSessions(
  dir: string,
  now: Date,
): { ready: Map<string, AuditRecord[]>; shipped: Record<string, string> } {
  const shipped = readShipped(dir);
  const since = new Date(now.getTime() - LOOKBACK_DAYS * 86400_000).toISOString().slice(0, 10);
  const sessions = new Map<string, AuditRecord[]>();
  let files: string[] = [];
  try {
    files = readdirSync(dir)
      .filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f) && f.slice(0, 10) >= since)
      .sort();
  } catch {
    return { ready: new Map(), shipped };
  }
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      let record: AuditRecord;
      try {
        record = JSON.parse(line) as AuditRecord;
      } catch {
        continue;
      }
      const id = record.session_id;
      if (!id || shipped[id]) continue;
      let list = sessions.get(id);
      if (!list) {
        list = [];
        sessions.set(id, list);
      }
      list.push(record);
    }
  }
  const ready = new Map<string, AuditRecord[]>();
  for (const [id, records] of sessions) {
    if (ready.size >= MAX_SESSIONS_PER_EXPORT) break;
    const last = Date.parse(records[records.length - 1]!.ts);
    if (records.some((r) => r.event === 'SessionEnd') || now.getTime() - last > QUIET_MS)
      ready.set(id, records);
  }
  return { ready, shipped };
}

interface OutboxState {
  shipped?: Record<string, string>;
  /** Epoch ms before which no export is tried: a collector's Retry-After. */
  notBefore?: number;
  /** The last request a collector refused as bad data (400): not resent, kept here to be seen. */
  lastRejected?: { at: string; status: number; sessions: number };
}

function readState(dir: string): OutboxState {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as OutboxState;
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

function readShipped(dir: string): Record<string, string> {
  const shipped = readState(dir).shipped;
  return shipped && typeof shipped === 'object' ? shipped : {};
}

function writeState(dir: string, state: OutboxState): void {
  replaceFile(dir, join(dir, STATE_FILE), JSON.stringify(state));
}

/** True while a collector's Retry-After has not passed: the export waits for a later session. */
export function deferred(dir: string, now: Date): boolean {
  const notBefore = readState(dir).notBefore;
  return typeof notBefore === 'number' && now.getTime() < notBefore;
}

/** Remembers a collector's Retry-After; the shipped watermark is unchanged. */
export function deferExport(dir: string, now: Date, retryAfterMs: number): void {
  // A day at most: a bogus Retry-After must not silence the outbox past its look-back.
  writeState(dir, { ...readState(dir), notBefore: now.getTime() + Math.min(retryAfterMs, 86400_000) });
}

/**
 * Records `ids` as shipped (atomically: temp file and rename), dropping entries past the look-back.
 * `rejected` marks them as refused by the collector instead (400: never resent either).
 */
export function markShipped(
  dir: string,
  shipped: Record<string, string>,
  ids: string[],
  now: Date,
  rejected?: { status: number },
): void {
  const today = now.toISOString().slice(0, 10);
  const oldest = new Date(now.getTime() - (LOOKBACK_DAYS + 1) * 86400_000).toISOString().slice(0, 10);
  const kept: Record<string, string> = {};
  for (const [id, day] of Object.entries(shipped)) if (day >= oldest) kept[id] = day;
  for (const id of ids) kept[id] = today;
  const lastRejected = rejected
    ? { at: now.toISOString(), status: rejected.status, sessions: ids.length }
    : readState(dir).lastRejected;
  writeState(dir, lastRejected ? { shipped: kept, lastRejected } : { shipped: kept });
}

/** One exporter at a time per repo; a lock older than a minute belongs to a process that died. */
export function tryLock(dir: string): (() => void) | undefined {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      createFile(dir, file);
      return () => {
        try {
          removeFile(dir, file);
        } catch {
          // already gone
        }
      };
    } catch {
      try {
        if (existsSync(file) && Date.now() - statSync(file).mtimeMs > 60_000) removeFile(dir, file);
        else return undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
