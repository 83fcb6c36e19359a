import type { ChalkInstance } from 'chalk';
import type { AgentNode } from './agent-tree.js';
import type { AuditResult } from './index.js';

/** The human report: compact tables, then one tree per session. */
export function printAudit(result: AuditResult, c: ChalkInstance): string[] {
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
  lines.push('', c.bold(`Sessions (${result.sessions.length})`));
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
  lines.push('', c.bold(`Near-misses (${result.nearMisses.total})`));
  if (result.nearMisses.total === 0)
    lines.push('  none: no call was denied or sent to a person by a spine rule');
  else {
    lines.push(
      ...table(
        ['rule', 'deny', 'ask'],
        result.nearMisses.byRule.map((r) => [r.rule, String(r.deny), String(r.ask)]),
      ),
      '',
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
  }
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
