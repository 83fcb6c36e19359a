import {
  closeSync,
  existsSync,
  constants as fsConstants,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { createFile, PlantedLinkError, removeDir, removeFile, replaceFile } from './append-line.js';
import {
  type AuditPositions,
  auditPositions,
  emptyLogged,
  type LoggedRead,
  readLogged,
  readLoggedFrom,
} from './logged-calls.js';
import { lockSession } from './session-lock.js';
import {
  readToolCalls,
  type SubagentBegan,
  type ToolCall,
  type TranscriptPrompt,
  transcriptFiles,
  transcriptStart,
} from './transcript.js';
import { transcriptDenials } from './transcript-denials.js';
import { type LifecycleSeen, lifecycleRecords, lifecycleSeen } from './transcript-lifecycle.js';
import { transcriptToolResults } from './transcript-tool-results.js';
import type { AuditRecord, HookContext, HookPolicy } from './types.js';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fsConstants;

export interface TranscriptSink {
  logDir: string;
  /** Where the no-link check of the audit directory starts (run-hook.ts auditRoot). */
  root?: string;
  policy: HookPolicy;
  ctx: HookContext;
  /** Appends lines (one or more, newline-separated) to a day file. */
  append: (file: string, lines: string) => void;
  logFileFor: (at: Date) => string;
  warn: (message: string) => void;
}

/**
 * At the end of a turn (Stop) and of the session (SessionEnd): appends what the transcript shows
 * and the log does not yet hold — the finished calls' PostToolUse/PostToolUseFailure records and
 * the calls the client's own rules refused. Ids already logged are skipped, so running it again
 * adds nothing twice. Returns the number of records written.
 */
export function recordFromTranscript(
  sink: TranscriptSink,
  sessionId: string,
  transcriptPath: string,
  /** The session is over: forget where its transcripts were read up to. */
  final = false,
): number {
  const root = sink.root ?? sink.logDir;
  const release = lockSession(root, sessionFile(sink.logDir, sessionId, '.lock'), sink.warn);
  try {
    return recordUnlocked(sink, sessionId, transcriptPath, final);
  } finally {
    release();
    // Leave the audit directory as it was: the cursor directory exists only while in use.
    if (final) removeCursorDir(sink);
  }
}

function recordUnlocked(
  sink: TranscriptSink,
  sessionId: string,
  transcriptPath: string,
  final: boolean,
): number {
  const start = transcriptStart(transcriptPath);
  // A session's records are in the files from the day before it began (time zones) onwards.
  const day = start ? Date.parse(start.slice(0, 10)) : Number.NaN;
  const since = Number.isNaN(day) ? '' : new Date(day - 86_400_000).toISOString().slice(0, 10);
  const cursor = readCursor(sink.logDir, sessionId);
  const calls: ToolCall[] = [];
  const transcripts: Record<string, number> = {};
  const files = transcriptFiles(transcriptPath);
  const prompts: TranscriptPrompt[] = [];
  const began = new Map<string, SubagentBegan>();
  let mainCalls: ToolCall[] = [];
  let mainEnd = 0;
  // The transcript first: a result there means its call's PreToolUse record is in the log.
  for (const file of files) {
    // At the session's end the whole transcript once: a refusal read by an earlier Stop and the
    // call that worked around it, whose result the client wrote only after that Stop, are paired
    // (workarounds.ts). What is already logged is skipped, so nothing is written twice.
    const read = readToolCalls(file, final ? 0 : (cursor.transcripts[file.path] ?? 0));
    calls.push(...read.calls);
    transcripts[file.path] = read.resume;
    if (file.agentId === null) {
      prompts.push(...read.prompts);
      mainCalls = read.calls;
      mainEnd = read.end;
    } else if (read.began) began.set(file.agentId, read.began);
  }
  const lifecycle = { files, prompts, began, mainCalls, mainEnd };
  const { logged, positions } = loggedCalls(
    sink.logDir,
    sessionId,
    since,
    cursor.audit,
    calls,
    news(lifecycle, cursor.seen),
  );
  const rebuilt = lifecycleRecords(
    lifecycle,
    sessionId,
    cursor.seen,
    logged,
    sink.policy,
    sink.ctx,
    final,
    sink.warn,
  );
  const records: AuditRecord[] = [
    ...rebuilt.records,
    ...transcriptToolResults(calls, sessionId, logged.pre, logged.done, sink.policy, sink.ctx, sink.warn),
    ...transcriptDenials(calls, sessionId, new Set(logged.pre.keys()), sink.policy, sink.ctx),
  ];
  // One append per day file: a Stop after a long turn writes hundreds of records.
  const byFile = new Map<string, string[]>();
  for (const r of records) {
    const file = sink.logFileFor(new Date(r.ts));
    const lines = byFile.get(file) ?? [];
    byFile.set(file, lines);
    lines.push(JSON.stringify(r));
  }
  for (const [file, lines] of byFile) sink.append(file, lines.join('\n'));
  writeCursor(sink, sessionId, final ? undefined : { transcripts, audit: positions, seen: rebuilt.seen });
  return records.length;
}

/** Whether the transcript shows a prompt or a subagent not yet seen, which a hook may have logged. */
function news(
  read: { files: readonly { agentId: string | null }[]; prompts: readonly TranscriptPrompt[] },
  seen: LifecycleSeen | undefined,
): boolean {
  if (!seen) return true;
  if (read.prompts.some((p) => p.offset >= seen.prompts)) return true;
  return read.files.some((f) => f.agentId !== null && !seen.stopped.includes(f.agentId));
}

/**
 * The session's records the calls need: none when no call has finished since the last Stop (a
 * turn without tool calls). From the saved positions, only what was appended since the last
 * Stop: enough when every finished call read from the transcript has its PreToolUse record there (its PostToolUse record, written later, is there too). Otherwise — a call begun
 * before the last Stop, a call the client's own rules refused (no PreToolUse at all), a position
 * in doubt — the whole scan, as without a cursor.
 */
function loggedCalls(
  logDir: string,
  sessionId: string,
  since: string,
  saved: AuditPositions | undefined,
  calls: readonly ToolCall[],
  /** A prompt or subagent to look for in what was appended. */
  lifecycle: boolean,
): LoggedRead {
  // No call finished since the last Stop: nothing to look up, and the positions stay where they were.
  if (saved && saved.since === since && !lifecycle && calls.every((c) => !c.result))
    return { logged: emptyLogged(), positions: saved };
  const appended = saved ? readLoggedFrom(logDir, sessionId, since, saved) : undefined;
  if (appended && calls.every((c) => !c.result || appended.logged.pre.has(c.id))) return appended;
  return readLogged(logDir, sessionId, since);
}

/**
 * How far a session has been read: each transcript file up to its last settled line (a long
 * session's transcript runs to megabytes, and each turn's Stop reads only what came after), and
 * each day file of the audit log up to its end. Losing it costs a re-read, never a record twice
 * (what is logged is skipped). The agent can write it: it is read without following a link, only
 * when small and well formed, and the audit positions are checked against the files.
 */
interface Cursor {
  transcripts: Record<string, number>;
  audit?: AuditPositions;
  /** The prompts and subagents already recorded (transcript-lifecycle.ts). */
  seen?: LifecycleSeen;
}

/** A cursor file larger than this is not one the hook wrote (a path and a number per file). */
const CURSOR_MAX_BYTES = 1 << 20;

/** The session's cursor (`.json`) or recorder lock (`.lock`, session-lock.ts). */
function sessionFile(logDir: string, sessionId: string, ext: '.json' | '.lock'): string {
  return join(logDir, '.cursor', `${sessionId.replace(/[^A-Za-z0-9_-]/g, '_')}${ext}`);
}

function cursorFile(logDir: string, sessionId: string): string {
  return sessionFile(logDir, sessionId, '.json');
}

function readCursor(logDir: string, sessionId: string): Cursor {
  const none: Cursor = { transcripts: {} };
  let fd: number;
  try {
    fd = openSync(cursorFile(logDir, sessionId), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch {
    return none;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > CURSOR_MAX_BYTES) return none;
    const value = JSON.parse(readFileSync(fd, 'utf8')) as {
      transcripts?: unknown;
      audit?: unknown;
      seen?: unknown;
    };
    if (!value || typeof value !== 'object' || !value.transcripts || typeof value.transcripts !== 'object')
      return none;
    const transcripts: Record<string, number> = {};
    for (const [path, offset] of Object.entries(value.transcripts))
      if (Number.isSafeInteger(offset) && offset >= 0) transcripts[path] = offset;
    const audit = auditPositions(value.audit);
    const seen = lifecycleSeen(value.seen);
    return { transcripts, ...(audit ? { audit } : {}), ...(seen ? { seen } : {}) };
  } catch {
    return none;
  } finally {
    closeSync(fd);
  }
}

function writeCursor(sink: TranscriptSink, sessionId: string, cursor: Cursor | undefined): void {
  const file = cursorFile(sink.logDir, sessionId);
  const root = sink.root ?? sink.logDir;
  try {
    if (!cursor) {
      removeFile(root, file);
      return;
    }
    replaceFile(root, file, JSON.stringify(cursor));
  } catch (error) {
    // Only an optimisation: the next turn reads from the start again. A planted link is said.
    if (error instanceof PlantedLinkError) sink.warn(`spine: ${error.message}`);
  }
}

function removeCursorDir(sink: TranscriptSink): void {
  try {
    removeDir(sink.root ?? sink.logDir, join(sink.logDir, '.cursor'));
  } catch {
    // Another session's cursor or lock is still there, or a link: left as it is.
  }
}

/** A transcript untouched this long belongs to a session that is over (SPINE_SETTLED_MS to tune). */
const SETTLED_MS = 10 * 60_000;

/**
 * At SessionStart: marks the session as open until its SessionEnd, with an empty cursor (read as
 * no cursor at all, so the first Stop reads as before). A session killed outright leaves it, and
 * the next session's backfill then finds the session even when no tool call of it is open: a
 * killed turn that only had a prompt. A cursor already there (a resumed session) is kept.
 */
export function markSessionOpen(sink: TranscriptSink, sessionId: string): void {
  try {
    createFile(sink.root ?? sink.logDir, cursorFile(sink.logDir, sessionId));
  } catch (error) {
    if (error instanceof PlantedLinkError) sink.warn(`spine: ${error.message}`);
    // Already there, or not writable: the backfill still finds the sessions with open calls.
  }
}

/**
 * At SessionStart: a session that was killed (no Stop, no SessionEnd) left calls without their
 * PostToolUse records, and prompts without theirs. Its transcript sits beside this session's, so
 * the records are rebuilt from it now, for the sessions whose transcript has settled: those of the
 * last two days with an open call in the log, and those whose cursor is still there (every
 * session has one from its SessionStart to its SessionEnd).
 */
export function backfillKilledSessions(
  sink: TranscriptSink,
  sessionId: string,
  transcriptPath: string,
  settledMs = SETTLED_MS,
): number {
  if (!existsSync(sink.logDir)) return 0;
  const since = new Date(sink.ctx.now.getTime() - 2 * 86_400_000).toISOString().slice(0, 10);
  // Keyed by session and call: a tool_use id is unique only within its session.
  const open = new Map<string, Set<string>>();
  const done = new Set<string>();
  for (const line of logLines(sink.logDir, since)) {
    if (!line.includes('ToolUse')) continue;
    const r = parse(line);
    if (!r?.session_id || !r.tool_use_id || r.session_id === sessionId) continue;
    if (r.event === 'PreToolUse' && r.decision !== 'deny') {
      const ids = open.get(r.session_id) ?? new Set<string>();
      open.set(r.session_id, ids);
      ids.add(r.tool_use_id);
    } else if (r.event === 'PostToolUse' || r.event === 'PostToolUseFailure')
      done.add(`${r.session_id}\u0000${r.tool_use_id}`);
  }
  const killed = new Set(unendedSessions(sink.logDir));
  for (const [session, ids] of open)
    if (![...ids].every((id) => done.has(`${session}\u0000${id}`))) killed.add(session);
  killed.delete(sessionId);
  let written = 0;
  for (const session of killed) {
    if (!/^[A-Za-z0-9_-]+$/.test(session)) continue;
    const path = join(dirname(transcriptPath), `${session}.jsonl`);
    const last = lastWritten(path);
    if (last === undefined || sink.ctx.now.getTime() - last < settledMs) continue;
    written += recordFromTranscript(sink, session, path, true);
  }
  return written;
}

/**
 * When the session last wrote a transcript, its subagents' included: a session whose main agent
 * waits on a long subagent is not over. Undefined when its transcript is gone.
 */
function lastWritten(transcriptPath: string): number | undefined {
  try {
    return Math.max(...transcriptFiles(transcriptPath).map((file) => statSync(file.path).mtimeMs));
  } catch {
    // Gone, or a subagent's file unreadable: not known to be settled.
    return undefined;
  }
}

/** The sessions whose cursor is still there: begun, and not (yet) ended. */
function unendedSessions(logDir: string): string[] {
  try {
    return readdirSync(join(logDir, '.cursor'))
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length));
  } catch {
    return [];
  }
}

function* logLines(logDir: string, since: string): Generator<string> {
  if (!existsSync(logDir)) return;
  for (const f of readdirSync(logDir)) {
    if (!/^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f) || f.slice(0, 10) < since) continue;
    let text: string;
    try {
      text = readFileSync(join(logDir, f), 'utf8');
    } catch {
      continue;
    }
    yield* text.split('\n');
  }
}

function parse(line: string): Partial<AuditRecord> | undefined {
  try {
    return JSON.parse(line) as Partial<AuditRecord>;
  } catch {
    return undefined;
  }
}
