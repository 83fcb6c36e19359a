import type { AuditRecord } from './types.js';

/** The pseudonym form person-id.ts writes: anything else in an audit line is not exported. */
const PERSON = /^p-[0-9a-f]{16}$/;

/** One stopped call: which guardrail, on which tool, in which agent, by which layer. No input. */
export interface NearMiss {
  guardrail: string;
  tool: string;
  agentType: string;
  layer: string;
  decision: string;
  /** The team zone of the call (docs/monorepos.md), in a repo teams share. */
  zone?: string;
  /** For a stable record id only; never exported as such. */
  key: string;
}

/** A session reduced to counts and ids: what leaves the machine. */
export interface SessionSummary {
  sessionId: string;
  startMs: number;
  endMs: number;
  ended: boolean;
  spineVersion: string;
  toolCallsByAgent: Record<string, number>;
  nearMisses: NearMiss[];
  skillsShared: Record<string, number>;
  skillsLocal: Record<string, number>;
  subagentsByType: Record<string, number>;
  /** Ordinary work a guardrail stopped, by `layer:kind:class` (core/report/friction.ts reads it). */
  friction?: Record<string, number>;
  /** Answers to ask gates, by `rule:outcome` (allowed, refused, unknown). */
  asks?: Record<string, number>;
  /**
   * Spine allow guardrails: `rule:calls` (calls each let run without asking) and `rule:near_misses`
   * (of those, calls the OS sandbox then stopped reading a secret).
   */
  allowRules?: Record<string, number>;
  /** Who answered the session's asks, as a pseudonym (person-id.ts); only when there were asks. */
  person?: string;
  /** The launch directory (relative to the repository root) the session started in, if not the root. */
  launchDir?: string;
  /**
   * The session's team zone in a repo teams share: the zone most of its records carry (all of
   * them when it started in a zone's launch directory).
   */
  zone?: string;
}

/**
 * Summarises the audit records of one session. Tool calls are counted from PreToolUse (every call
 * the hook saw); a near-miss is a PreToolUse the spine denied or asked about, with its guardrail.
 * `sharedSkills` are the spine's skills: a use of any other skill is a local one.
 */
export function summariseSession(records: AuditRecord[], sharedSkills: ReadonlySet<string>): SessionSummary {
  const first = records[0]!;
  const friction: Record<string, number> = {};
  const asks: Record<string, number> = {};
  const allowRules: Record<string, number> = {};
  // Calls a spine allow rule let run, and calls the sandbox stopped on a secret, by tool_use_id:
  // joined after the loop, since records rebuilt from the transcript carry the result's time.
  const allowed = new Map<string, string>();
  // Calls a person let through an ask gate: one the sandbox then stopped on a secret is a
  // near-miss of that gate, evidence against loosening it (core/report/asks.ts).
  const askAllowed = new Map<string, string>();
  const sandboxDenied: string[] = [];
  const summary: SessionSummary = {
    sessionId: first.session_id ?? '',
    startMs: Date.parse(first.ts),
    endMs: Date.parse(first.ts),
    ended: false,
    spineVersion: first.spine_version,
    toolCallsByAgent: {},
    nearMisses: [],
    skillsShared: {},
    skillsLocal: {},
    subagentsByType: {},
    friction,
    asks,
    allowRules,
  };
  const zones: Record<string, number> = {};
  for (const r of records) {
    const at = Date.parse(r.ts);
    if (typeof r.zone === 'string' && r.zone) bump(zones, r.zone);
    const f = r.friction;
    if (f && typeof f.class === 'string') bump(friction, `${f.layer}:${f.kind}:${f.class}`);
    if (r.ask && typeof r.ask.rule === 'string') {
      bump(asks, `${r.ask.rule}:${r.ask.outcome}`);
      if (r.ask.outcome !== 'refused' && r.tool_use_id) askAllowed.set(r.tool_use_id, r.ask.rule);
      if (typeof r.ask.person === 'string' && PERSON.test(r.ask.person)) summary.person ??= r.ask.person;
    }
    if (typeof r.launch_dir === 'string') summary.launchDir ??= r.launch_dir;
    if (at < summary.startMs) summary.startMs = at;
    if (at > summary.endMs) summary.endMs = at;
    if (r.event !== 'PreToolUse' && r.layer === 'sandbox' && r.decision === 'deny' && r.tool_use_id)
      sandboxDenied.push(r.tool_use_id);
    if (r.event === 'SessionEnd') summary.ended = true;
    else if (r.event === 'SubagentStart') bump(summary.subagentsByType, r.agent_type ?? 'unknown');
    else if (r.event === 'UserPromptSubmit') {
      const name = /^\s*\/([A-Za-z0-9][\w.:-]*)(?:\s|$)/.exec(
        typeof r.prompt === 'string' ? r.prompt : '',
      )?.[1];
      if (name && sharedSkills.has(name)) bump(summary.skillsShared, name);
    } else if (r.event === 'PreToolUse' || r.event === 'PreSkillShellCommand') {
      const agent = r.agent_type ?? (r.agent_id ? 'subagent' : 'main');
      // A skill's shell line is no tool call, but one a guardrail stopped is a near-miss.
      if (r.event === 'PreToolUse') bump(summary.toolCallsByAgent, agent);
      if (r.event === 'PreToolUse' && r.decision === 'allow' && r.rule) {
        bump(allowRules, `${r.rule}:calls`);
        if (r.tool_use_id) allowed.set(r.tool_use_id, r.rule);
      }
      if ((r.decision === 'deny' || r.decision === 'ask') && r.rule) {
        summary.nearMisses.push({
          guardrail: r.rule,
          tool: r.tool_name ?? 'unknown',
          agentType: agent,
          layer: r.layer ?? 'unknown',
          decision: r.decision,
          ...(typeof r.zone === 'string' && r.zone ? { zone: r.zone } : {}),
          key: r.tool_use_id ?? `${r.ts}:${summary.nearMisses.length}`,
        });
      } else if (r.tool_name === 'Skill') {
        const skill = skillName(r.tool_input);
        if (skill) bump(sharedSkills.has(skill) ? summary.skillsShared : summary.skillsLocal, skill);
      }
    }
  }
  const zone = Object.entries(zones).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0];
  if (zone) summary.zone = zone;
  for (const id of new Set(sandboxDenied)) {
    const rule = allowed.get(id);
    if (rule) bump(allowRules, `${rule}:near_misses`);
    const gate = askAllowed.get(id);
    if (gate) bump(asks, `${gate}:near_miss`);
  }
  return summary;
}

function skillName(input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const i = input as Record<string, unknown>;
  const name = i.skill ?? i.name ?? i.command;
  return typeof name === 'string' && name ? name.replace(/^\//, '') : undefined;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
