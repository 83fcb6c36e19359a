import { describe, expect, it } from 'vitest';
import { summarise } from '../../src/commands/audit/summarise.js';
import { createActivityRollup } from '../../src/core/report/activity-rollup.js';
import { summariseSession } from '../../src/hooks/session-summary.js';
import type { AuditRecord } from '../../src/hooks/types.js';

/** A skill's shell line the guard refused is a near-miss of its rule; it is no tool call. */

const ts = '2026-12-01T10:00:00.000Z';
const base = {
  ts,
  session_id: 's',
  agent_id: null,
  agent_type: null,
  tool_name: 'Bash',
  spine_version: '1.0.0',
};
const records = [
  { ...base, event: 'PreToolUse', tool_use_id: 't1', decision: 'allow', rule: null },
  {
    ...base,
    event: 'PreSkillShellCommand',
    tool_use_id: 't2:preamble-0',
    decision: 'deny',
    rule: 'secret-dotenv',
    layer: 'guard',
    skill: 'peek',
  },
  { ...base, event: 'PreSkillShellCommand', tool_use_id: 't2:preamble-1', decision: 'allow', rule: null },
] as unknown as AuditRecord[];

describe('near-misses of skill shell lines', () => {
  it('spine audit counts it against its rule, not as a tool call', () => {
    const summary = summarise(records);
    expect(summary.sessions[0]).toMatchObject({ toolCalls: 1, nearMisses: 1 });
    expect(summary.nearMisses.byRule).toEqual([
      expect.objectContaining({ rule: 'secret-dotenv', deny: 1, total: 1 }),
    ]);
  });

  it('the report rollup and the exported session summary count it too', () => {
    const rollup = createActivityRollup();
    for (const r of records) rollup.add(r);
    const day = rollup.result()[0]!;
    expect(day).toMatchObject({ toolCalls: 1, nearMisses: { 'secret-dotenv': 1 } });
    const session = summariseSession(records, new Set());
    expect(session.nearMisses.map((n) => n.guardrail)).toEqual(['secret-dotenv']);
    expect(session.toolCallsByAgent).toEqual({ main: 1 });
  });
});
