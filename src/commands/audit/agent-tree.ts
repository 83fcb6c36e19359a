import type { AuditRecord } from '../../hooks/types.js';

export interface AgentNode {
  /** null for the main agent. */
  agentId: string | null;
  agentType: string | null;
  /** From the Agent tool call that started it. */
  description?: string;
  toolUseId?: string;
  /** false when no Agent tool event names this agent's parent (e.g. the session was cut short). */
  parentKnown: boolean;
  toolCalls: number;
  nearMisses: number;
  children: AgentNode[];
}

const AGENT_TOOLS = new Set(['Agent', 'Task']);

/**
 * Rebuilds who started whom in one session. Hook payloads carry no parent id; the edge is the
 * Agent tool call: its PreToolUse/PostToolUse carry the caller's agent_id (null = main) and
 * the PostToolUse carries the child's id (`child_agent_id`), joined by tool_use_id.
 */
export function agentTree(records: AuditRecord[]): AgentNode {
  const main: AgentNode = {
    agentId: null,
    agentType: null,
    parentKnown: true,
    toolCalls: 0,
    nearMisses: 0,
    children: [],
  };
  const nodes = new Map<string, AgentNode>();
  const node = (id: string | null): AgentNode => {
    if (id === null) return main;
    let n = nodes.get(id);
    if (!n) {
      n = { agentId: id, agentType: null, parentKnown: false, toolCalls: 0, nearMisses: 0, children: [] };
      nodes.set(id, n);
    }
    return n;
  };
  const spawns = new Map<string, { parent: string | null; description?: string; type?: string }>();
  const parents = new Map<string, string | null>();

  for (const r of records) {
    const self = node(r.agent_id);
    if (r.agent_id && r.agent_type) self.agentType = r.agent_type;
    if (r.event === 'PreToolUse') {
      self.toolCalls++;
      if (r.decision === 'deny' || r.decision === 'ask') self.nearMisses++;
    }
    if (!AGENT_TOOLS.has(r.tool_name ?? '') || !r.tool_use_id) continue;
    const input = (r.tool_input ?? {}) as Record<string, unknown>;
    const spawn = spawns.get(r.tool_use_id) ?? { parent: r.agent_id };
    if (typeof input.description === 'string') spawn.description = input.description;
    if (typeof input.subagent_type === 'string') spawn.type = input.subagent_type;
    spawns.set(r.tool_use_id, spawn);
    if (r.event === 'PostToolUse' && r.child_agent_id && r.child_agent_id !== r.agent_id) {
      parents.set(r.child_agent_id, spawn.parent);
      const child = node(r.child_agent_id);
      child.toolUseId = r.tool_use_id;
      child.description ??= spawn.description;
      child.agentType ??= spawn.type ?? null;
    }
  }

  for (const [id, n] of nodes) {
    const parentId = parents.get(id);
    const known = parentId !== undefined && !isAncestor(id, parentId ?? null, parents);
    n.parentKnown = known;
    (known ? node(parentId ?? null) : main).children.push(n);
  }
  return main;
}

/** Would making `parent` the parent of `id` close a loop? (Only a corrupt log does that.) */
function isAncestor(id: string, parent: string | null, parents: Map<string, string | null>): boolean {
  const seen = new Set<string>();
  for (let p = parent; p !== null && p !== undefined; p = parents.get(p) ?? null) {
    if (p === id || seen.has(p)) return true;
    seen.add(p);
  }
  return false;
}
