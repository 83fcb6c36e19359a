import { NEAR_MISS_EVENT, SESSION_EVENT } from './otlp.js';

/** One spine.session record, reduced to what the report counts. */
export interface SessionSummary {
  id: string;
  repo: string;
  team: string;
  day: string;
  toolCalls: number;
  nearMisses: Record<string, number>;
  skillUses: Record<string, number>;
  /** Ordinary work a guardrail stopped, by `layer:kind:class` (report/friction.ts). */
  friction?: Record<string, number>;
  /** Answers to ask gates by `rule:outcome` (report/asks.ts). */
  asks?: Record<string, number>;
  /** Spine allow guardrails by `rule:calls` and `rule:near_misses` (report/allow-rules.ts). */
  allowRules?: Record<string, number>;
  /** Who answered the asks, as the hook's pseudonym (`p-` and 16 hex digits). */
  person?: string;
  /** The record's `session.id` as a 30-bit hash (`sessionHash`): what the client's events join on. */
  session?: number;
  /** The team zone the hook put the session in, in a repo teams share (docs/monorepos.md). */
  zone?: string;
}

/** Claude Code's own events for one repo and day: activity spine's hook did not record. */
export interface ClientDay {
  repo: string;
  team: string;
  day: string;
  /** Session ids as 30-bit hashes (`sessionHash`): counted, never shown, and small. */
  sessions: Set<number>;
  toolCalls: number;
  nearMisses: Record<string, number>;
}

/** What one file (or one request) held, before deduplication across files. */
export interface Extracted {
  records: number;
  sessions: SessionSummary[];
  nearMissRecords: number;
  /** Records without a spine.repo resource attribute: not attributable to a team repo. */
  unattributed: number;
  /**
   * Of those, the ones with a `session.id`, counted by its hash: newer clients leave the per-repo
   * attributes of project settings out of their own events, so these join spine's session
   * records on the session id (fold.ts).
   */
  unattributedBySession: Map<number, number>;
  clientDays: Map<string, ClientDay>;
}

export function emptyExtracted(): Extracted {
  return {
    records: 0,
    sessions: [],
    nearMissRecords: 0,
    unattributed: 0,
    unattributedBySession: new Map(),
    clientDays: new Map(),
  };
}

/** Near-misses the client decided on its own (a static rule), not tied to a spine guardrail id. */
export const CLIENT_RULE_PREFIX = 'client:';

/** The names a record may carry (Claude Code names its events with and without a prefix). */
export const SESSION_NAMES = new Set([SESSION_EVENT]);
export const NEAR_MISS_NAMES = new Set([NEAR_MISS_EVENT]);
export const TOOL_RESULT_NAMES = new Set(['claude_code.tool_result', 'tool_result']);
export const REJECT_NAMES = new Set(['claude_code.tool_decision', 'tool_decision']);

/** Adds what one line held to what a file holds so far. */
export function mergeExtracted(into: Extracted, from: Extracted): void {
  into.records += from.records;
  into.nearMissRecords += from.nearMissRecords;
  into.unattributed += from.unattributed;
  for (const [session, n] of from.unattributedBySession)
    into.unattributedBySession.set(session, (into.unattributedBySession.get(session) ?? 0) + n);
  for (const s of from.sessions) into.sessions.push(s);
  for (const [key, cd] of from.clientDays) addClientDay(into.clientDays, key, cd);
}

/** Adds one repo-day of Claude Code events to a map of them (the map takes `cd` if it is new). */
export function addClientDay(days: Map<string, ClientDay>, key: string, cd: ClientDay): void {
  const have = days.get(key);
  if (!have) {
    days.set(key, cd);
    return;
  }
  for (const id of cd.sessions) have.sessions.add(id);
  have.toolCalls += cd.toolCalls;
  for (const [rule, n] of Object.entries(cd.nearMisses))
    have.nearMisses[rule] = (have.nearMisses[rule] ?? 0) + n;
}

/**
 * A session id's bytes as a 30-bit FNV-1a hash: a small integer V8 keeps unboxed in a Set, so
 * a year of sessions costs no string each. Only distinct sessions within one repo-day are
 * counted, where two of a few hundred ids collide with a chance of about one in ten thousand.
 */
export function sessionHash(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 2;
}
