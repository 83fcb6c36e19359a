import type { DayActivity } from './facts.js';

/** The fields of an audit line the rollup reads; everything else (tool input above all) is ignored. */
export interface AuditLineLike {
  ts?: unknown;
  event?: unknown;
  session_id?: unknown;
  tool_name?: unknown;
  tool_input?: unknown;
  decision?: unknown;
  rule?: unknown;
  prompt?: unknown;
  prompt_kind?: unknown;
}

/** Claude Code's own slash commands: a `/clear` is not a skill use. */
const BUILT_IN_COMMANDS = new Set(
  'add-dir agents bug clear compact config context cost doctor exit export help hooks ide init install-github-app login logout mcp memory model permissions pr-comments release-notes resume review rewind status statusline terminal-setup upgrade vim'.split(
    ' ',
  ),
);

interface DayState {
  sessions: Set<string>;
  toolCalls: number;
  nearMisses: Map<string, number>;
  ruleSessions: Map<string, Set<string>>;
  skillUses: Map<string, number>;
}

export interface ActivityRollup {
  add(line: AuditLineLike): void;
  /** Lines that had no usable timestamp or event. */
  skipped: number;
  result(): DayActivity[];
}

/**
 * Counts per UTC day: sessions, tool calls, near-misses by rule, skill uses by name. Only counts
 * leave: no tool input, prompt or path is kept. `knownSkills` limits `/name` prompts to skills
 * the repo has; without it every non-built-in slash name counts.
 */
export function createActivityRollup(knownSkills?: Set<string>): ActivityRollup {
  const days = new Map<string, DayState>();
  const rollup: ActivityRollup = {
    skipped: 0,
    add(line) {
      const date = typeof line.ts === 'string' ? line.ts.slice(0, 10) : '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || typeof line.event !== 'string') {
        rollup.skipped++;
        return;
      }
      let day = days.get(date);
      if (!day) {
        day = {
          sessions: new Set(),
          toolCalls: 0,
          nearMisses: new Map(),
          ruleSessions: new Map(),
          skillUses: new Map(),
        };
        days.set(date, day);
      }
      const session = typeof line.session_id === 'string' ? line.session_id : '';
      if (session) day.sessions.add(session);
      if (line.event === 'PreToolUse') countToolCall(day, line, session);
      else if (line.event === 'UserPromptSubmit' && line.prompt_kind !== 'task-notification') {
        const name = slashName(line.prompt);
        if (name && (knownSkills ? knownSkills.has(name) : !BUILT_IN_COMMANDS.has(name)))
          bump(day.skillUses, name);
      }
    },
    result() {
      return [...days.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([date, d]) => ({
          date,
          sessions: d.sessions.size,
          toolCalls: d.toolCalls,
          nearMisses: Object.fromEntries(d.nearMisses),
          nearMissSessions: Object.fromEntries([...d.ruleSessions].map(([r, s]) => [r, s.size])),
          skillUses: Object.fromEntries(d.skillUses),
        }));
    },
  };
  return rollup;
}

function countToolCall(day: DayState, line: AuditLineLike, session: string): void {
  day.toolCalls++;
  const decision = line.decision;
  if ((decision === 'deny' || decision === 'ask') && typeof line.rule === 'string' && line.rule) {
    bump(day.nearMisses, line.rule);
    const sessions = day.ruleSessions.get(line.rule) ?? new Set<string>();
    day.ruleSessions.set(line.rule, sessions);
    sessions.add(session);
    return;
  }
  if (line.tool_name === 'Skill' && line.tool_input && typeof line.tool_input === 'object') {
    const input = line.tool_input as Record<string, unknown>;
    const name = input.skill ?? input.name ?? input.command;
    if (typeof name === 'string' && name) bump(day.skillUses, name.replace(/^\//, ''));
  }
}

/** `/review-change fix the tests` → review-change; plugin skills keep their namespace. */
export function slashName(prompt: unknown): string | undefined {
  if (typeof prompt !== 'string') return undefined;
  return /^\s*\/([A-Za-z0-9][\w.:-]*)(?:\s|$)/.exec(prompt)?.[1];
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
