import { groupBy } from '../../core/group-by.js';
import type { AuditRecord } from '../../hooks/types.js';
import { type AgentNode, agentTree } from './agent-tree.js';

export interface SessionSummary {
  sessionId: string | null;
  firstTs: string;
  lastTs: string;
  events: number;
  prompts: number;
  toolCalls: number;
  /** Subagents seen, not counting the main agent. */
  agents: number;
  nearMisses: number;
  tree: AgentNode;
}

export interface AgentCalls {
  sessionId: string | null;
  agentId: string | null;
  agentType: string | null;
  toolCalls: number;
  tools: Record<string, number>;
}

export interface RuleCount {
  rule: string;
  deny: number;
  ask: number;
  total: number;
}

export interface AgentNearMisses {
  sessionId: string | null;
  agentId: string | null;
  agentType: string | null;
  deny: number;
  ask: number;
  total: number;
  rules: string[];
}

export interface AuditSummary {
  events: number;
  sessions: SessionSummary[];
  agents: AgentCalls[];
  nearMisses: { total: number; byRule: RuleCount[]; byAgent: AgentNearMisses[] };
}

/** A prompt a person typed: a background subagent's task notification is the agent tree's own. */
export function isPersonsPrompt(r: AuditRecord): boolean {
  return r.event === 'UserPromptSubmit' && r.prompt_kind !== 'task-notification';
}

/**
 * A near-miss: a tool call a spine guardrail denied or sent to a person, or a skill's shell line
 * it denied (PreSkillShellCommand).
 */
export function isNearMiss(r: AuditRecord): boolean {
  return (
    (r.event === 'PreToolUse' || r.event === 'PreSkillShellCommand') &&
    (r.decision === 'deny' || r.decision === 'ask') &&
    Boolean(r.rule)
  );
}

function countCall(agents: Map<string, AgentCalls>, key: string, r: AuditRecord): void {
  const a = agents.get(key) ?? {
    sessionId: r.session_id,
    agentId: r.agent_id,
    agentType: r.agent_type,
    toolCalls: 0,
    tools: {},
  };
  a.toolCalls++;
  const tool = r.tool_name ?? '(unknown)';
  a.tools[tool] = (a.tools[tool] ?? 0) + 1;
  a.agentType ??= r.agent_type;
  agents.set(key, a);
}

/** Pure: records (in log order) → the summary `spine audit` prints. */
export function summarise(records: AuditRecord[]): AuditSummary {
  const bySession = groupBy(records, (r) => r.session_id ?? '');
  const sessions: SessionSummary[] = [];
  for (const group of bySession.values()) {
    const sorted = [...group].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    const tree = agentTree(sorted);
    sessions.push({
      sessionId: sorted[0]!.session_id,
      firstTs: sorted[0]!.ts,
      lastTs: sorted.at(-1)!.ts,
      events: sorted.length,
      prompts: sorted.filter(isPersonsPrompt).length,
      toolCalls: sorted.filter((r) => r.event === 'PreToolUse').length,
      agents: countNodes(tree) - 1,
      nearMisses: sorted.filter(isNearMiss).length,
      tree,
    });
  }
  sessions.sort((a, b) => (a.firstTs < b.firstTs ? -1 : a.firstTs > b.firstTs ? 1 : 0));

  const agents = new Map<string, AgentCalls>();
  const misses = new Map<string, AgentNearMisses>();
  const rules = new Map<string, RuleCount>();
  for (const r of records) {
    const call = r.event === 'PreToolUse';
    if (!call && !isNearMiss(r)) continue;
    const key = `${r.session_id ?? ''}\u0000${r.agent_id ?? ''}`;
    if (call) countCall(agents, key, r);
    if (!isNearMiss(r)) continue;
    const decision = r.decision as 'deny' | 'ask';
    const rc = rules.get(r.rule!) ?? { rule: r.rule!, deny: 0, ask: 0, total: 0 };
    rc[decision]++;
    rc.total++;
    rules.set(r.rule!, rc);
    const m = misses.get(key) ?? {
      sessionId: r.session_id,
      agentId: r.agent_id,
      agentType: r.agent_type,
      deny: 0,
      ask: 0,
      total: 0,
      rules: [],
    };
    m[decision]++;
    m.total++;
    if (!m.rules.includes(r.rule!)) m.rules.push(r.rule!);
    misses.set(key, m);
  }
  const byCount = <T extends { total: number }>(a: T, b: T) => b.total - a.total;
  return {
    events: records.length,
    sessions,
    agents: [...agents.values()],
    nearMisses: {
      total: [...rules.values()].reduce((n, r) => n + r.total, 0),
      byRule: [...rules.values()].sort((a, b) => byCount(a, b) || a.rule.localeCompare(b.rule)),
      byAgent: [...misses.values()].sort(byCount),
    },
  };
}

function countNodes(node: AgentNode): number {
  return 1 + node.children.reduce((n, c) => n + countNodes(c), 0);
}
