import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PlantedLinkError, removeDir, removeFile, replaceFile } from './append-line.js';
import { readToolCalls, type ToolCall, transcriptFiles, transcriptStart } from './transcript.js';
import { transcriptDenials } from './transcript-denials.js';
import { type LoggedCall, transcriptToolResults } from './transcript-tool-results.js';
import type { AuditRecord, HookContext, HookPolicy } from './types.js';

export interface TranscriptSink {
  logDir: string;
  /** Where the no-link check of the audit directory starts (run-hook.ts auditRoot). */
  root?: string;
  policy: HookPolicy;
  ctx: HookContext;
  append: (file: string, line: string) => void;
  logFileFor: (at: Date) => string;
  warn: (message: string) => void;
}

/** What the audit log holds of one session's tool calls. */
interface Logged {
  pre: Map<string, LoggedCall>;
  /** Calls with a PostToolUse or PostToolUseFailure record. */
  done: Set<string>;
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
  const start = transcriptStart(transcriptPath);
  const logged = readLogged(sink.logDir, sessionId, start ? start.slice(0, 10) : undefined);
  const cursor = readCursor(sink.logDir, sessionId);
  const calls: ToolCall[] = [];
  const next: Cursor = {};
  for (const file of transcriptFiles(transcriptPath)) {
    const read = readToolCalls(file, cursor[file.path] ?? 0);
    calls.push(...read.calls);
    next[file.path] = read.resume;
  }
  const records: AuditRecord[] = [
    ...transcriptToolResults(calls, sessionId, logged.pre, logged.done, sink.policy, sink.ctx, sink.warn),
    ...transcriptDenials(calls, sessionId, new Set(logged.pre.keys()), sink.policy, sink.ctx),
  ];
  for (const r of records) sink.append(sink.logFileFor(new Date(r.ts)), JSON.stringify(r));
  writeCursor(sink, sessionId, final ? undefined : next);
  return records.length;
}

/**
 * How far each transcript file of a session has been read: a long session's transcript runs to
 * megabytes, and each turn's Stop reads only what came after. Losing it costs a re-read, never a
 * record twice (what is logged is skipped).
 */
type Cursor = Record<string, number>;

function cursorFile(logDir: string, sessionId: string): string {
  return join(logDir, '.cursor', `${sessionId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
}

function readCursor(logDir: string, sessionId: string): Cursor {
  try {
    const value = JSON.parse(readFileSync(cursorFile(logDir, sessionId), 'utf8'));
    return value && typeof value === 'object' ? (value as Cursor) : {};
  } catch {
    return {};
  }
}

function writeCursor(sink: TranscriptSink, sessionId: string, cursor: Cursor | undefined): void {
  const file = cursorFile(sink.logDir, sessionId);
  const root = sink.root ?? sink.logDir;
  try {
    if (!cursor) {
      removeFile(root, file);
      // Leave the audit directory as it was: the cursor directory exists only while in use.
      removeDir(root, dirname(file));
      return;
    }
    replaceFile(root, file, JSON.stringify(cursor));
  } catch (error) {
    // Only an optimisation: the next turn reads from the start again. A planted link is said.
    if (error instanceof PlantedLinkError) sink.warn(`spine: ${error.message}`);
  }
}

/** A transcript untouched this long belongs to a session that is over (SPINE_SETTLED_MS to tune). */
const SETTLED_MS = 10 * 60_000;

/**
 * At SessionStart: a session that was killed (no Stop, no SessionEnd) left calls without their
 * PostToolUse records. Its transcript sits beside this session's, so the records are rebuilt
 * from it now, for sessions of the last two days whose transcript has settled.
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
  let written = 0;
  for (const [session, ids] of open) {
    if ([...ids].every((id) => done.has(`${session}\u0000${id}`))) continue;
    if (!/^[A-Za-z0-9_-]+$/.test(session)) continue;
    const path = join(dirname(transcriptPath), `${session}.jsonl`);
    try {
      if (sink.ctx.now.getTime() - statSync(path).mtimeMs < settledMs) continue;
    } catch {
      continue;
    }
    written += recordFromTranscript(sink, session, path, true);
  }
  return written;
}

function readLogged(logDir: string, sessionId: string, startDay: string | undefined): Logged {
  const logged: Logged = { pre: new Map(), done: new Set() };
  // A session's records are in the files from the day before it began (time zones) onwards.
  const since = startDay ? new Date(Date.parse(startDay) - 86_400_000).toISOString().slice(0, 10) : '';
  for (const line of logLines(logDir, since)) {
    if (!line.includes(sessionId) || !line.includes('ToolUse')) continue;
    const r = parse(line);
    if (!r || r.session_id !== sessionId || !r.tool_use_id) continue;
    if (r.event === 'PreToolUse')
      logged.pre.set(r.tool_use_id, {
        agent_id: r.agent_id ?? null,
        agent_type: r.agent_type ?? null,
        decision: r.decision,
        rule: r.rule ?? null,
      });
    else if (r.event === 'PostToolUse' || r.event === 'PostToolUseFailure') logged.done.add(r.tool_use_id);
  }
  return logged;
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
