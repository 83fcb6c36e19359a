import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggedCall } from './transcript-tool-results.js';
import type { AuditRecord } from './types.js';

/** What the audit log holds of one session's tool calls, prompts and subagents. */
export interface Logged {
  pre: Map<string, LoggedCall>;
  /** Calls with a PostToolUse or PostToolUseFailure record. */
  done: Set<string>;
  /** Prompt ids with a UserPromptSubmit record. */
  prompts: Set<string>;
  /** Subagent ids with a SubagentStart record. */
  started: Set<string>;
  /** Subagent ids with a SubagentStop record. */
  stopped: Set<string>;
}

/**
 * Where a Stop stopped reading one day file of the audit log: the byte after the last whole line,
 * the file's identity, and the bytes just before that offset, so a file replaced, truncated or
 * rewritten since is noticed and read again from the start.
 */
export interface AuditPosition {
  offset: number;
  dev: number;
  ino: number;
  /** Base64 of up to TAIL bytes before `offset`. */
  tail: string;
}

/** The day files read for a session, from `since` on, by file name. */
export interface AuditPositions {
  since: string;
  files: Record<string, AuditPosition>;
}

export interface LoggedRead {
  logged: Logged;
  positions: AuditPositions;
}

const TAIL = 32;
const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;
const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;

/**
 * The session's records in every day file from `since` on (the whole scan), and where each file
 * ends, for the next Stop to start from.
 */
export function readLogged(logDir: string, sessionId: string, since: string): LoggedRead {
  const read = readLoggedFrom(logDir, sessionId, since, { since, files: {} });
  // Without a saved position nothing is in doubt: every file is read from its start.
  return read ?? { logged: emptyLogged(), positions: { since, files: {} } };
}

/**
 * Only what was appended to the day files since `saved` (a file new since then is read whole).
 * The positions come from a file the agent can write, as can the log: any doubt — a file gone,
 * replaced, shorter, or with other bytes before the offset, a link, another `since` — returns
 * undefined, and the caller scans the whole log instead.
 */
export function readLoggedFrom(
  logDir: string,
  sessionId: string,
  since: string,
  saved: AuditPositions,
): LoggedRead | undefined {
  if (saved.since !== since) return undefined;
  const logged = emptyLogged();
  const positions: AuditPositions = { since, files: {} };
  const names = existsSync(logDir)
    ? readdirSync(logDir)
        .filter((f) => DAY_FILE.test(f) && f.slice(0, 10) >= since)
        .sort()
    : [];
  for (const name of Object.keys(saved.files)) if (!names.includes(name)) return undefined;
  for (const name of names) {
    const read = readDayFile(join(logDir, name), saved.files[name]);
    if (read === 'doubt') return undefined;
    if (!read) continue;
    positions.files[name] = read.position;
    collect(logged, read.text, sessionId);
  }
  return { logged, positions };
}

/** A saved position as read from the cursor file: undefined unless every field is well formed. */
export function auditPositions(value: unknown): AuditPositions | undefined {
  if (!isObject(value) || typeof value.since !== 'string' || !isObject(value.files)) return undefined;
  const files: Record<string, AuditPosition> = {};
  for (const [name, p] of Object.entries(value.files)) {
    if (!DAY_FILE.test(name) || !isObject(p)) return undefined;
    const { offset, dev, ino, tail } = p;
    if (!Number.isSafeInteger(offset) || (offset as number) < 0) return undefined;
    if (!Number.isSafeInteger(dev) || !Number.isSafeInteger(ino)) return undefined;
    if (typeof tail !== 'string' || tail.length > 64) return undefined;
    if (Buffer.from(tail, 'base64').length !== Math.min(TAIL, offset as number)) return undefined;
    files[name] = { offset: offset as number, dev: dev as number, ino: ino as number, tail };
  }
  return { since: value.since, files };
}

/**
 * The whole lines of one day file after `from` (all of it without), never through a link.
 * Undefined when it cannot be opened as a regular file and nothing was saved for it; 'doubt'
 * when what was saved no longer describes it.
 */
function readDayFile(
  file: string,
  from: AuditPosition | undefined,
): { text: string; position: AuditPosition } | 'doubt' | undefined {
  let fd: number;
  try {
    fd = openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch {
    return from ? 'doubt' : undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return from ? 'doubt' : undefined;
    const tail = from ? Buffer.from(from.tail, 'base64') : Buffer.alloc(0);
    const offset = from?.offset ?? 0;
    if (from && (from.dev !== stat.dev || from.ino !== stat.ino || stat.size < offset)) return 'doubt';
    const start = offset - tail.length;
    const bytes = readAt(fd, start, stat.size - start);
    if (!bytes.subarray(0, tail.length).equals(tail)) return 'doubt';
    // Only whole lines: a hook may be appending the last one.
    const end = bytes.lastIndexOf(10) + 1;
    const upTo = Math.max(end, tail.length);
    const next = start + upTo;
    return {
      text: bytes.toString('utf8', tail.length, upTo),
      position: {
        offset: next,
        dev: stat.dev,
        ino: stat.ino,
        tail: bytes.subarray(Math.max(0, upTo - TAIL), upTo).toString('base64'),
      },
    };
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, bytes, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return bytes.subarray(0, got);
}

function collect(logged: Logged, text: string, sessionId: string): void {
  for (const line of text.split('\n')) {
    if (!line.includes(sessionId)) continue;
    if (!line.includes('ToolUse') && !line.includes('UserPromptSubmit') && !line.includes('"Subagent'))
      continue;
    const r = parse(line);
    if (!r || r.session_id !== sessionId) continue;
    if (r.event === 'UserPromptSubmit') {
      if (r.prompt_id) logged.prompts.add(r.prompt_id);
      continue;
    }
    if (r.event === 'SubagentStart' || r.event === 'SubagentStop') {
      if (r.agent_id) (r.event === 'SubagentStart' ? logged.started : logged.stopped).add(r.agent_id);
      continue;
    }
    if (!r.tool_use_id) continue;
    if (r.event === 'PreToolUse')
      logged.pre.set(r.tool_use_id, {
        agent_id: r.agent_id ?? null,
        agent_type: r.agent_type ?? null,
        decision: r.decision,
        rule: r.rule ?? null,
      });
    else if (r.event === 'PostToolUse' || r.event === 'PostToolUseFailure') logged.done.add(r.tool_use_id);
  }
}

export function emptyLogged(): Logged {
  return { pre: new Map(), done: new Set(), prompts: new Set(), started: new Set(), stopped: new Set() };
}

function parse(line: string): Partial<AuditRecord> | undefined {
  try {
    return JSON.parse(line) as Partial<AuditRecord>;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}
