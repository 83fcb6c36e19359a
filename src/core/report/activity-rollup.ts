import { addAskCounts, PERSON_ID } from './asks.js';
import type { AllowRuleDay, AskDay, DayActivity } from './facts.js';

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
  tool_use_id?: unknown;
  layer?: unknown;
  evaluated?: unknown;
  friction?: unknown;
  ask?: unknown;
}

/** How many would-be refusals of one evaluated guardrail keep as examples. */
export const EVALUATION_SAMPLES = 3;
const SAMPLE_CHARS = 160;

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
  evaluated: Map<string, { hits: number; stoppedAnyway: number; sessions: Set<string> }>;
  friction: Map<string, number>;
  /** Per session, its answers by `rule:outcome`: folded per session so sessions are counted. */
  asks: Map<string, Record<string, number>>;
  /** Per session, who answered its asks (a pseudonym), when the hook knew. */
  askPeople: Map<string, string>;
  /** Per spine allow guardrail: calls it let run, and how many the sandbox then stopped on a secret. */
  allowRules: Map<string, AllowRuleDay>;
}

/** A call an evaluated guardrail would have refused, until the log says whether it ran. */
interface WouldBeCall {
  day: DayState;
  rules: string[];
  stoppedAnyway: boolean;
  sample: string | undefined;
}

export interface ActivityRollup {
  add(line: AuditLineLike): void;
  /** Lines that had no usable timestamp or event. */
  skipped: number;
  result(): DayActivity[];
  /**
   * Examples (redacted by the hook, cut short) of calls each evaluated guardrail would have
   * refused that nothing else stopped: what enforcing it would newly refuse.
   */
  samples(): Record<string, string[]>;
}

/**
 * Counts per UTC day: sessions, tool calls, near-misses by rule, skill uses by name. Only counts
 * leave: no tool input, prompt or path is kept. `knownSkills` limits `/name` prompts to skills
 * the repo has; without it every non-built-in slash name counts.
 */
export function createActivityRollup(knownSkills?: Set<string>): ActivityRollup {
  const days = new Map<string, DayState>();
  // Keyed by tool_use_id: a sandbox refusal of the same call is logged after the PreToolUse.
  const wouldBe = new Map<string, WouldBeCall>();
  const unkeyed: WouldBeCall[] = [];
  // Keyed by tool_use_id: calls a spine allow rule let run, and calls the sandbox then stopped on
  // a secret. Joined at the end: the log need not hold them in order (nor on the same day).
  const allowedCalls = new Map<string, AllowRuleDay>();
  // Calls a person let through an ask gate, with the session's answers they count in: one the
  // sandbox then stopped on a secret is a near-miss of that gate (asks.ts: no loosening then).
  const askedCalls = new Map<string, { answers: Record<string, number>; rule: string }>();
  const sandboxDenied = new Set<string>();
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
          evaluated: new Map(),
          friction: new Map(),
          asks: new Map(),
          askPeople: new Map(),
          allowRules: new Map(),
        };
        days.set(date, day);
      }
      const session = typeof line.session_id === 'string' ? line.session_id : '';
      if (session) day.sessions.add(session);
      const callId = typeof line.tool_use_id === 'string' ? line.tool_use_id : '';
      const friction = frictionKey(line.friction);
      if (friction) bump(day.friction, friction);
      const ask = askKey(line.ask);
      if (ask) {
        const answers = day.asks.get(session) ?? {};
        answers[ask] = (answers[ask] ?? 0) + 1;
        day.asks.set(session, answers);
        if (callId && !ask.endsWith(':refused'))
          askedCalls.set(callId, { answers, rule: ask.slice(0, ask.lastIndexOf(':')) });
        const person = personOf(line.ask);
        if (person) day.askPeople.set(session, person);
      }
      // A skill's shell line a guardrail stopped is a near-miss, not a tool call.
      if (line.event === 'PreSkillShellCommand') countNearMiss(day, line, session);
      if (line.event === 'PreToolUse') {
        countToolCall(day, line, session);
        if (
          line.decision === 'allow' &&
          typeof line.rule === 'string' &&
          line.rule &&
          line.rule.length <= 200
        ) {
          const counts = day.allowRules.get(line.rule) ?? { calls: 0, nearMisses: 0 };
          day.allowRules.set(line.rule, counts);
          counts.calls++;
          if (callId) allowedCalls.set(callId, counts);
        }
        const rules = evaluatedRules(line.evaluated);
        if (rules.length > 0) {
          for (const rule of rules) {
            const e = day.evaluated.get(rule) ?? { hits: 0, stoppedAnyway: 0, sessions: new Set<string>() };
            day.evaluated.set(rule, e);
            e.hits++;
            e.sessions.add(session);
          }
          const call: WouldBeCall = {
            day,
            rules,
            stoppedAnyway: line.decision === 'deny' || line.decision === 'ask',
            sample: sampleOf(line.tool_name, line.tool_input),
          };
          if (callId) wouldBe.set(callId, call);
          else unkeyed.push(call);
        }
      } else if (line.layer === 'sandbox' && callId) {
        const call = wouldBe.get(callId);
        if (call) call.stoppedAnyway = true;
        if (line.decision === 'deny') sandboxDenied.add(callId);
      } else if (line.event === 'UserPromptSubmit' && line.prompt_kind !== 'task-notification') {
        const name = slashName(line.prompt);
        if (name && (knownSkills ? knownSkills.has(name) : !BUILT_IN_COMMANDS.has(name)))
          bump(day.skillUses, name);
      }
    },
    result() {
      for (const id of sandboxDenied) {
        const allowed = allowedCalls.get(id);
        if (allowed) allowed.nearMisses++;
        const asked = askedCalls.get(id);
        if (asked)
          asked.answers[`${asked.rule}:near_miss`] = (asked.answers[`${asked.rule}:near_miss`] ?? 0) + 1;
      }
      sandboxDenied.clear();
      for (const call of [...wouldBe.values(), ...unkeyed]) {
        if (!call.stoppedAnyway) continue;
        for (const rule of call.rules) call.day.evaluated.get(rule)!.stoppedAnyway++;
      }
      return [...days.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([date, d]) => ({
          date,
          sessions: d.sessions.size,
          toolCalls: d.toolCalls,
          nearMisses: Object.fromEntries(d.nearMisses),
          nearMissSessions: Object.fromEntries([...d.ruleSessions].map(([r, s]) => [r, s.size])),
          skillUses: Object.fromEntries(d.skillUses),
          ...(d.evaluated.size > 0
            ? {
                evaluated: Object.fromEntries(
                  [...d.evaluated].map(([rule, e]) => [
                    rule,
                    { hits: e.hits, stoppedAnyway: e.stoppedAnyway, sessions: e.sessions.size },
                  ]),
                ),
              }
            : {}),
          ...(d.friction.size > 0 ? { friction: Object.fromEntries(d.friction) } : {}),
          ...(d.allowRules.size > 0 ? { allowRules: Object.fromEntries(d.allowRules) } : {}),
          ...(d.asks.size > 0
            ? {
                asks: [...d.asks].reduce<Record<string, AskDay>>(
                  (into, [session, answers]) => addAskCounts(into, answers, d.askPeople.get(session)),
                  {},
                ),
              }
            : {}),
        }));
    },
    samples() {
      const out: Record<string, string[]> = {};
      for (const call of [...wouldBe.values(), ...unkeyed]) {
        if (call.stoppedAnyway || !call.sample) continue;
        for (const rule of call.rules) {
          const list = out[rule] ?? [];
          out[rule] = list;
          if (list.length < EVALUATION_SAMPLES && !list.includes(call.sample)) list.push(call.sample);
        }
      }
      return out;
    },
  };
  return rollup;
}

function countToolCall(day: DayState, line: AuditLineLike, session: string): void {
  day.toolCalls++;
  if (countNearMiss(day, line, session)) return;
  if (line.tool_name === 'Skill' && line.tool_input && typeof line.tool_input === 'object') {
    const input = line.tool_input as Record<string, unknown>;
    const name = input.skill ?? input.name ?? input.command;
    if (typeof name === 'string' && name) bump(day.skillUses, name.replace(/^\//, ''));
  }
}

/** A call a guardrail stopped, counted against its rule; false when the line is none. */
function countNearMiss(day: DayState, line: AuditLineLike, session: string): boolean {
  const decision = line.decision;
  if (!(decision === 'deny' || decision === 'ask') || typeof line.rule !== 'string' || !line.rule)
    return false;
  bump(day.nearMisses, line.rule);
  const sessions = day.ruleSessions.get(line.rule) ?? new Set<string>();
  day.ruleSessions.set(line.rule, sessions);
  sessions.add(session);
  return true;
}

/** An audit line's friction as its `layer:kind:class` key; anything malformed counts for nothing. */
function frictionKey(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const f = value as Record<string, unknown>;
  const parts = [f.layer, f.kind, f.class];
  if (!parts.every((p) => typeof p === 'string' && p !== '' && p.length <= 200)) return undefined;
  return parts.join(':');
}

/** An audit line's ask outcome as `rule:outcome`. */
function askKey(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const a = value as Record<string, unknown>;
  if (typeof a.rule !== 'string' || !a.rule || a.rule.length > 200) return undefined;
  if (a.outcome !== 'allowed' && a.outcome !== 'refused' && a.outcome !== 'unknown') return undefined;
  return `${a.rule}:${a.outcome}`;
}

function personOf(value: unknown): string | undefined {
  const person = (value as Record<string, unknown>).person;
  return typeof person === 'string' && PERSON_ID.test(person) ? person : undefined;
}

function evaluatedRules(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const rules = value
    .map((v) => (v && typeof v === 'object' ? (v as Record<string, unknown>).rule : undefined))
    .filter((r): r is string => typeof r === 'string' && r !== '');
  return [...new Set(rules)];
}

/** What a person needs to recognise the call: the command, or the path a file tool named. */
function sampleOf(tool: unknown, input: unknown): string | undefined {
  if (typeof tool !== 'string' || !input || typeof input !== 'object') return undefined;
  const i = input as Record<string, unknown>;
  const text = [i.command, i.file_path, i.notebook_path, i.path, i.url, i.pattern].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (!text) return tool;
  const flat = text.replace(/\s+/g, ' ').trim();
  const shown = flat.length > SAMPLE_CHARS ? `${flat.slice(0, SAMPLE_CHARS - 1)}…` : flat;
  return tool === 'Bash' ? shown : `${tool} ${shown}`;
}

/** `/review-change fix the tests` → review-change; plugin skills keep their namespace. */
export function slashName(prompt: unknown): string | undefined {
  if (typeof prompt !== 'string') return undefined;
  return /^\s*\/([A-Za-z0-9][\w.:-]*)(?:\s|$)/.exec(prompt)?.[1];
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
