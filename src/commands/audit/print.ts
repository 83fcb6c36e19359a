import type { ChalkInstance } from 'chalk';
import { MIN_SESSIONS } from '../../core/report/report-model.js';
import type { AgentNode } from './agent-tree.js';
import type { AuditResult } from './index.js';

/**
 * The human report: the summary first (sessions, tool calls, near-misses by rule, agents), in a
 * screenful whatever the log's size; per-session tables and agent trees only with `detail`.
 */
export function printAudit(result: AuditResult, c: ChalkInstance, detail = false): string[] {
  const since = result.since ? ` since ${result.since.replace('T00:00:00.000Z', '')}` : '';
  const lines = [
    `${c.bold('spine audit')}: ${result.events} event(s) in ${result.files.length} file(s) of ${result.logDir}${since}`,
  ];
  if (result.events === 0) {
    lines.push(
      'No audit events recorded yet: the hook writes one line per agent event once Claude Code runs here.',
    );
    return lines;
  }
  const calls = result.sessions.reduce((n, s) => n + s.toolCalls, 0);
  const prompts = result.sessions.reduce((n, s) => n + s.prompts, 0);
  const subagents = result.sessions.reduce((n, s) => n + s.agents, 0);
  const days = new Set(result.sessions.map((s) => s.firstTs.slice(0, 10))).size;
  const nm = result.nearMisses;
  lines.push(
    '',
    `  ${result.sessions.length} session(s) over ${days} day(s), ${prompts} prompt(s), ${calls} tool call(s), ${subagents} subagent(s)`,
    `  ${nm.total} near-miss(es)${nearMissRate(nm.total, calls, result.sessions.length)}`,
  );
  lines.push('', c.bold(`Near-misses by rule (${nm.total})`));
  if (nm.total === 0) lines.push('  none: no call was denied or sent to a person by a spine rule');
  else
    lines.push(
      ...table(
        ['rule', 'deny', 'ask', 'sessions'],
        nm.byRule.map((r) => [
          r.rule,
          String(r.deny),
          String(r.ask),
          String(new Set(nm.byAgent.filter((a) => a.rules.includes(r.rule)).map((a) => a.sessionId)).size),
        ]),
      ),
    );
  lines.push('', c.bold('Tool calls by agent type'));
  lines.push(...table(['agent', 'agents', 'calls', 'top tools'], byAgentType(result)));
  if (!detail) {
    lines.push('', c.dim('Per-session tables and agent trees: spine audit --sessions (or --verbose).'));
    return lines;
  }
  return [...lines, ...sessionDetail(result, c)];
}

/** The rate per 1,000 calls, suppressed below the report's threshold: from a few sessions it misleads. */
function nearMissRate(nearMisses: number, calls: number, sessions: number): string {
  if (calls === 0) return '';
  if (sessions < MIN_SESSIONS) return ` (no rate per 1,000 calls from fewer than ${MIN_SESSIONS} sessions)`;
  return ` (${((nearMisses / calls) * 1000).toFixed(1)} per 1,000 calls)`;
}

function byAgentType(result: AuditResult): string[][] {
  const types = new Map<string, { agents: number; calls: number; tools: Map<string, number> }>();
  for (const a of result.agents) {
    const key = a.agentId === null ? 'main' : (a.agentType ?? 'subagent');
    const t = types.get(key) ?? { agents: 0, calls: 0, tools: new Map<string, number>() };
    t.agents++;
    t.calls += a.toolCalls;
    for (const [tool, n] of Object.entries(a.tools)) t.tools.set(tool, (t.tools.get(tool) ?? 0) + n);
    types.set(key, t);
  }
  return [...types]
    .sort((x, y) => y[1].calls - x[1].calls)
    .map(([key, t]) => [
      key,
      String(t.agents),
      String(t.calls),
      [...t.tools]
        .sort((x, y) => y[1] - x[1])
        .slice(0, 4)
        .map(([tool, n]) => `${tool} ${n}`)
        .join(', '),
    ]);
}

function sessionDetail(result: AuditResult, c: ChalkInstance): string[] {
  const lines = ['', c.bold(`Sessions (${result.sessions.length})`)];
  lines.push(
    ...table(
      ['session', 'started (UTC)', 'events', 'prompts', 'tool calls', 'subagents', 'near-misses'],
      result.sessions.map((s) => [
        short(s.sessionId),
        s.firstTs.slice(0, 16).replace('T', ' '),
        String(s.events),
        String(s.prompts),
        String(s.toolCalls),
        String(s.agents),
        String(s.nearMisses),
      ]),
    ),
  );
  lines.push('', c.bold('Tool calls per agent'));
  lines.push(
    ...table(
      ['session', 'agent', 'calls', 'tools'],
      result.agents.map((a) => [
        short(a.sessionId),
        agentLabel(a.agentId, a.agentType),
        String(a.toolCalls),
        Object.entries(a.tools)
          .sort((x, y) => y[1] - x[1])
          .map(([tool, n]) => `${tool} ${n}`)
          .join(', '),
      ]),
    ),
  );
  if (result.nearMisses.total > 0)
    lines.push(
      '',
      c.bold('Near-misses by agent'),
      ...table(
        ['session', 'agent', 'deny', 'ask', 'rules'],
        result.nearMisses.byAgent.map((m) => [
          short(m.sessionId),
          agentLabel(m.agentId, m.agentType),
          String(m.deny),
          String(m.ask),
          m.rules.join(', '),
        ]),
      ),
    );
  lines.push('', c.bold('Agent trees'));
  for (const s of result.sessions) {
    lines.push(`  session ${s.sessionId ?? '(none)'}`);
    lines.push(...tree(s.tree, '    ', c));
  }
  return lines;
}

function tree(node: AgentNode, indent: string, c: ChalkInstance): string[] {
  const out = [`${indent}${nodeLabel(node, c)}`];
  const walk = (n: AgentNode, prefix: string) => {
    n.children.forEach((child, i) => {
      const last = i === n.children.length - 1;
      out.push(`${indent}${prefix}${last ? '└─ ' : '├─ '}${nodeLabel(child, c)}`);
      walk(child, `${prefix}${last ? '   ' : '│  '}`);
    });
  };
  walk(node, '');
  return out;
}

function nodeLabel(n: AgentNode, c: ChalkInstance): string {
  const what = n.description ? ` "${n.description}"` : '';
  const misses = n.nearMisses ? `, ${c.yellow(`${n.nearMisses} near-miss(es)`)}` : '';
  const parent = n.parentKnown ? '' : c.dim(' (parent not recorded)');
  return `${agentLabel(n.agentId, n.agentType)}${what} (${n.toolCalls} call(s)${misses})${parent}`;
}

function agentLabel(id: string | null, type: string | null): string {
  if (id === null) return type ? `main (${type})` : 'main';
  return type ? `${id} ${type}` : id;
}

function short(sessionId: string | null): string {
  return sessionId ? sessionId.slice(0, 8) : '(none)';
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')}`.trimEnd();
  return [line(head), ...rows.map(line)];
}
