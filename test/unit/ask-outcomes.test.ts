import { describe, expect, it } from 'vitest';
import { createActivityRollup } from '../../src/core/report/activity-rollup.js';
import { addAskCounts, addAsks, askRows, createAskState } from '../../src/core/report/asks.js';
import type { Facts } from '../../src/core/report/facts.js';
import { askOutcome } from '../../src/hooks/ask-outcome.js';
import { personId } from '../../src/hooks/person-id.js';
import { summariseSession } from '../../src/hooks/session-summary.js';
import type { AuditRecord } from '../../src/hooks/types.js';
import { gitdir, tempDir } from '../helpers/gitdir.js';

const result = (isError: boolean, permission?: { decision: string; source: string }) => ({
  ts: undefined,
  isError,
  text: '',
  response: undefined,
  cwd: undefined,
  promptId: undefined,
  ...(permission ? { permission } : {}),
});
const asked = { agent_id: null, agent_type: null, decision: 'ask', rule: 'gate-git-push' };

describe('askOutcome: what a person answered an ask gate', () => {
  it('reads the decision the newer client records beside the result', () => {
    expect(askOutcome(asked, result(true, { decision: 'accept', source: 'user_temporary' }))).toEqual({
      rule: 'gate-git-push',
      outcome: 'allowed',
      source: 'user_temporary',
    });
    expect(askOutcome(asked, result(true, { decision: 'reject', source: 'user_reject' }))).toEqual({
      rule: 'gate-git-push',
      outcome: 'refused',
      source: 'user_reject',
    });
  });

  it('without a record, a call that ran cleanly was allowed; an error cannot be told', () => {
    expect(askOutcome(asked, result(false))).toEqual({ rule: 'gate-git-push', outcome: 'allowed' });
    expect(askOutcome(asked, result(true))).toEqual({ rule: 'gate-git-push', outcome: 'unknown' });
  });

  it('is nothing for a call no spine ask rule stopped', () => {
    expect(askOutcome({ ...asked, decision: 'allow' }, result(false))).toBeUndefined();
    expect(askOutcome({ ...asked, rule: null }, result(false))).toBeUndefined();
  });
});

function factsWith(lines: object[]): Facts {
  const rollup = createActivityRollup();
  for (const l of lines) rollup.add(l);
  return { activity: { days: rollup.result() } } as unknown as Facts;
}

const answer = (session: string, outcome: string, rule = 'gate-git-push', person?: string) => ({
  ts: '2026-12-01T10:00:00Z',
  event: 'PostToolUse',
  session_id: session,
  ask: { rule, outcome, ...(person ? { person } : {}) },
});
const ADA = 'p-00000000000000ad';
const BOB = 'p-0000000000000b0b';

describe('ask gates in the report', () => {
  it('rolls answers up per day and guardrail, counting sessions', () => {
    const facts = factsWith([answer('s1', 'allowed'), answer('s1', 'allowed'), answer('s2', 'refused')]);
    expect(facts.activity?.days[0]?.asks).toEqual({
      'gate-git-push': { allowed: 2, refused: 1, unknown: 0, sessions: 2 },
    });
  });

  it('recommends loosening a gate asked often in several teams and never refused', () => {
    const state = createAskState();
    const many = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => answer(`${prefix}${i}`, 'allowed'));
    addAsks(state, factsWith(many('a', 12)), 'alpha', null);
    addAsks(state, factsWith(many('b', 9)), 'beta', null);
    addAsks(
      state,
      factsWith([answer('c', 'allowed', 'gate-infra-apply'), answer('d', 'refused', 'gate-infra-apply')]),
      'alpha',
      null,
    );
    const rows = askRows(state);
    expect(rows[0]).toMatchObject({
      guardrail: 'gate-git-push',
      asked: 21,
      allowed: 21,
      refused: 0,
      verdict: 'loosen',
    });
    expect(rows[0]?.teams.map((t) => t.team)).toEqual(['alpha', 'beta']);
    expect(rows[1]).toMatchObject({
      guardrail: 'gate-infra-apply',
      asked: 2,
      refused: 1,
      verdict: 'needs-data',
    });
  });

  it('keeps a gate people refuse, or whose answers cannot all be told', () => {
    for (const other of ['refused', 'unknown']) {
      const state = createAskState();
      const lines = Array.from({ length: 20 }, (_, i) => answer(`s${i}`, i === 0 ? other : 'allowed'));
      addAsks(state, factsWith(lines.slice(0, 10)), 'alpha', null);
      addAsks(state, factsWith(lines.slice(10)), 'beta', null);
      expect(askRows(state)[0]?.verdict).toBe('keep');
    }
  });

  it('keeps a gate whose let-through call the sandbox then stopped reading a secret', () => {
    const sandboxStop = (session: string, id: string) => ({
      ts: '2026-12-01T10:00:01Z',
      event: 'PostToolUse',
      session_id: session,
      tool_use_id: id,
      layer: 'sandbox',
      decision: 'deny',
    });
    const state = createAskState();
    const lines = Array.from({ length: 20 }, (_, i) => ({
      ...answer(`s${i}`, 'allowed'),
      tool_use_id: `t${i}`,
    }));
    addAsks(state, factsWith(lines.slice(0, 10)), 'alpha', null);
    addAsks(state, factsWith([...lines.slice(10), sandboxStop('s15', 't15')]), 'beta', null);
    expect(askRows(state)[0]).toMatchObject({ asked: 20, refused: 0, nearMisses: 1, verdict: 'keep' });

    // The session summary the hook exports over OTLP carries the same evidence.
    const records = [lines[15], sandboxStop('s15', 't15')] as unknown as AuditRecord[];
    expect(summariseSession(records, new Set()).asks).toEqual({
      'gate-git-push:allowed': 1,
      'gate-git-push:near_miss': 1,
    });
    const day = addAskCounts({}, { 'gate-git-push:allowed': 1, 'gate-git-push:near_miss': 1 });
    expect(day['gate-git-push']).toEqual({ allowed: 1, refused: 0, unknown: 0, sessions: 1, nearMisses: 1 });
  });

  it('ignores a malformed answer', () => {
    const facts = factsWith([{ ...answer('s', 'allowed'), ask: { rule: 'x', outcome: 'maybe' } }]);
    expect(facts.activity?.days[0]?.asks).toBeUndefined();
  });

  it('counts distinct people per gate and per team; a person in two teams counts once', () => {
    const state = createAskState();
    addAsks(
      state,
      factsWith([
        answer('s1', 'allowed', 'gate-git-push', ADA),
        answer('s2', 'allowed', 'gate-git-push', BOB),
      ]),
      'alpha',
      null,
    );
    addAsks(
      state,
      factsWith([answer('s3', 'allowed', 'gate-git-push', ADA), answer('s4', 'allowed')]),
      'beta',
      null,
    );
    const [row] = askRows(state);
    expect(row).toMatchObject({ asked: 4, people: 2 });
    expect(row?.teams).toEqual([
      { team: 'alpha', asked: 2, allowed: 2, refused: 0, people: 2 },
      { team: 'beta', asked: 2, allowed: 2, refused: 0, people: 1 },
    ]);
  });

  it('keeps only the pseudonym form: an address in an audit line is not a person', () => {
    const facts = factsWith([
      answer('s1', 'allowed', 'gate-git-push', 'ada@example.com'),
      answer('s2', 'allowed', 'gate-git-push', BOB),
    ]);
    expect(facts.activity?.days[0]?.asks?.['gate-git-push']?.people).toEqual([BOB]);
  });
});

describe('personId: who was asked, as a pseudonym', () => {
  it('hashes the git identity of the project, the same in every repository, never the address', () => {
    const a = gitdir();
    const b = gitdir();
    const env = { ...process.env, GIT_AUTHOR_EMAIL: '' };
    const id = personId(a, env);
    expect(id).toMatch(/^p-[0-9a-f]{16}$/);
    expect(personId(b, env)).toBe(id);
    expect(id).not.toContain('example');
    expect(personId(a, { ...env, GIT_AUTHOR_EMAIL: ' Test@Example.com ' })).toBe(id);
    expect(personId(a, { ...env, GIT_AUTHOR_EMAIL: 'someone@example.com' })).not.toBe(id);
  });

  it('is nothing when git knows no one', () => {
    const dir = tempDir();
    const env = {
      ...process.env,
      GIT_AUTHOR_EMAIL: '',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    };
    expect(personId(dir, env)).toBeUndefined();
  });
});
