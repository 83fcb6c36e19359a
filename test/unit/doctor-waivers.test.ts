import { describe, expect, it } from 'vitest';
import { addDays, evaluateWaivers } from '../../src/commands/doctor/waivers.js';
import { findingsExitCode, sortFindings } from '../../src/core/findings.js';

const levels = new Map([
  ['gate-git-push', 'default' as const],
  ['secret-dotenv', 'locked' as const],
]);
const policy = { requireApprover: true, maxDays: 180 };
const today = '2026-03-01';

describe('waivers', () => {
  it('judges each waiver against the levels and the spine policy', () => {
    const states = evaluateWaivers(
      [
        { rule: 'gate-git-push', reason: 'bot', approvedBy: '@lead', expires: '2026-04-01' },
        { rule: 'gate-git-push', reason: 'bot', approvedBy: '@lead', expires: '2026-02-28' },
        { rule: 'secret-dotenv', reason: 'x', approvedBy: '@lead', expires: '2026-04-01' },
        { rule: 'gate-git-push', reason: 'no approver', expires: '2026-04-01' },
        { rule: 'gate-git-push', reason: 'too long', approvedBy: '@lead', expires: '2027-01-01' },
        { rule: 'gate-git-push', reason: 'open-ended', approvedBy: '@lead' },
        { rule: 'no-such-guardrail', reason: 'x', approvedBy: '@lead', expires: '2026-04-01' },
      ],
      levels,
      policy,
      today,
    );
    expect(states.map((s) => s.state)).toEqual([
      'active',
      'expired',
      'on-locked',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
    ]);
  });

  it('without a policy, an approver and an expiry are optional; a waiver expiring today still holds', () => {
    const [open, lastDay] = evaluateWaivers(
      [
        { rule: 'gate-git-push', reason: 'x' },
        { rule: 'gate-git-push', reason: 'x', expires: today },
      ],
      levels,
      { requireApprover: false },
      today,
    );
    expect(open!.state).toBe('active');
    expect(lastDay!.state).toBe('active');
  });

  it('finds the line of each waiver, the nth for repeated ids', () => {
    const text =
      'team: x\nwaivers:\n  - rule: gate-git-push\n    reason: a\n  - rule: "gate-git-push"\n    reason: b\n';
    const states = evaluateWaivers(
      [
        { rule: 'gate-git-push', reason: 'a' },
        { rule: 'gate-git-push', reason: 'b' },
      ],
      levels,
      { requireApprover: false },
      today,
      text,
    );
    expect(states.map((s) => s.line)).toEqual([3, 5]);
  });

  it('addDays crosses months and years in UTC', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-02-28', 180)).toBe('2026-08-27');
  });
});

describe('findings', () => {
  const f = (code: string, severity: 'error' | 'warning' | 'info', path = 'a') => ({
    code,
    severity,
    category: 'permissions' as const,
    path,
    message: '',
    fix: '',
  });

  it('exit 1 on any error, on warnings only with --strict, never for info', () => {
    expect(findingsExitCode([f('x', 'info')], true)).toBe(0);
    expect(findingsExitCode([f('x', 'warning')], false)).toBe(0);
    expect(findingsExitCode([f('x', 'warning')], true)).toBe(1);
    expect(findingsExitCode([f('x', 'error')], false)).toBe(1);
  });

  it('sorts by severity, then path', () => {
    const sorted = sortFindings([
      f('a', 'info'),
      f('b', 'warning', 'z'),
      f('c', 'error'),
      f('d', 'warning', 'b'),
    ]);
    expect(sorted.map((x) => x.code)).toEqual(['c', 'd', 'b', 'a']);
  });
});
