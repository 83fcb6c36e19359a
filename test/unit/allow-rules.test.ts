import { describe, expect, it } from 'vitest';
import { createActivityRollup } from '../../src/core/report/activity-rollup.js';
import { addAllowRules, allowRuleRows, createAllowRuleState } from '../../src/core/report/allow-rules.js';
import type { Facts } from '../../src/core/report/facts.js';
import { summariseSession } from '../../src/hooks/session-summary.js';
import type { AuditRecord } from '../../src/hooks/types.js';

const ts = '2026-12-01T10:00:00.000Z';
const allowedCall = (id: string, rule = 'allow-npm-scripts') => ({
  ts,
  event: 'PreToolUse',
  session_id: 's',
  tool_name: 'Bash',
  tool_use_id: id,
  decision: 'allow',
  rule,
  spine_version: '1.0.0',
});
const sandboxRefusal = (id: string) => ({
  ts,
  event: 'PostToolUseFailure',
  session_id: 's',
  tool_name: 'Bash',
  tool_use_id: id,
  decision: 'deny',
  rule: 'sandbox-enabled',
  layer: 'sandbox',
  spine_version: '1.0.0',
});

/** `calls` allowed calls, the first `refused` of them stopped by the sandbox; refusals logged first. */
function lines(calls: number, refused: number, rule?: string): object[] {
  const ids = Array.from({ length: calls }, (_, i) => `${rule ?? 'a'}-${i}`);
  return [...ids.slice(0, refused).map(sandboxRefusal), ...ids.map((id) => allowedCall(id, rule))];
}

function facts(records: object[]): Facts {
  const rollup = createActivityRollup();
  for (const l of records) rollup.add(l);
  return { activity: { days: rollup.result() } } as unknown as Facts;
}

describe('allow rules whose calls reach for secrets', () => {
  it('ties a sandbox refusal to the allow rule that let the call run, in whatever order the log holds them', () => {
    expect(facts(lines(5, 2)).activity?.days[0]?.allowRules).toEqual({
      'allow-npm-scripts': { calls: 5, nearMisses: 2 },
    });
    const summary = summariseSession(lines(5, 2) as AuditRecord[], new Set());
    expect(summary.allowRules).toEqual({ 'allow-npm-scripts:calls': 5, 'allow-npm-scripts:near_misses': 2 });
  });

  it('tightens a rule with 3+ near-misses that are 2% of its calls or more; a rare one is kept', () => {
    const state = createAllowRuleState();
    addAllowRules(state, facts(lines(20, 2)), 'alpha', null);
    addAllowRules(state, facts(lines(20, 1)), 'beta', null);
    addAllowRules(state, facts(lines(400, 3, 'allow-make')), 'alpha', null);
    addAllowRules(state, facts(lines(50, 2, 'allow-pytest')), 'alpha', null);
    addAllowRules(state, facts(lines(50, 0, 'allow-ls')), 'alpha', null);
    expect(allowRuleRows(state)).toEqual([
      // 3 of 400 is under 2%: the rule is mostly right.
      expect.objectContaining({ guardrail: 'allow-make', nearMisses: 3, verdict: 'keep' }),
      {
        guardrail: 'allow-npm-scripts',
        calls: 40,
        nearMisses: 3,
        teams: [
          { team: 'alpha', calls: 20, nearMisses: 2 },
          { team: 'beta', calls: 20, nearMisses: 1 },
        ],
        verdict: 'tighten',
      },
      expect.objectContaining({ guardrail: 'allow-pytest', nearMisses: 2, verdict: 'needs-data' }),
    ]);
  });

  it('counts a refusal of a call no allow rule let run for no rule', () => {
    const records = [
      allowedCall('x'),
      sandboxRefusal('y'),
      { ...allowedCall('z'), decision: 'ask', rule: 'gate' },
    ];
    expect(facts(records).activity?.days[0]?.allowRules).toEqual({
      'allow-npm-scripts': { calls: 1, nearMisses: 0 },
    });
  });
});
