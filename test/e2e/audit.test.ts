import { describe, expect, it } from 'vitest';
import { gitdir, snapshot } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

const S1 = 'session-one-0001';
const S2 = 'session-two-0002';

function line(ts: string, event: string, fields: Record<string, unknown> = {}) {
  return JSON.stringify({
    ts: `2030-01-0${ts}Z`,
    event,
    session_id: S1,
    agent_id: null,
    agent_type: null,
    tool_name: null,
    tool_use_id: null,
    spine_version: '1.0.0',
    ...fields,
  });
}

const pre = (ts: string, tool: string, fields: Record<string, unknown> = {}) =>
  line(ts, 'PreToolUse', { tool_name: tool, decision: 'allow', rule: null, ...fields });

/** Main starts A (Explore), A starts B; main and both subagents hit guardrails. */
const DAY1 = [
  line('1T10:00:00.000', 'SessionStart', { detail: 'startup' }),
  line('1T10:00:01.000', 'UserPromptSubmit', { prompt: 'fix it' }),
  pre('1T10:00:02.000', 'Bash', {
    decision: 'deny',
    rule: 'secret-dotenv',
    tool_input: { command: 'cat .env' },
  }),
  pre('1T10:00:03.000', 'Agent', {
    tool_use_id: 'tu_A',
    tool_input: { subagent_type: 'Explore', description: 'scan' },
  }),
  line('1T10:00:04.000', 'SubagentStart', { agent_id: 'aA', agent_type: 'Explore' }),
  pre('1T10:00:05.000', 'Bash', {
    agent_id: 'aA',
    agent_type: 'Explore',
    decision: 'ask',
    rule: 'gate-git-push',
  }),
  pre('1T10:00:06.000', 'Agent', {
    agent_id: 'aA',
    agent_type: 'Explore',
    tool_use_id: 'tu_B',
    tool_input: { subagent_type: 'general-purpose', description: 'nested' },
  }),
  pre('1T10:00:07.000', 'Read', {
    agent_id: 'aB',
    agent_type: 'general-purpose',
    decision: 'deny',
    rule: 'secret-dotenv',
  }),
  pre('1T10:00:08.000', 'Grep', { agent_id: 'aB', agent_type: 'general-purpose' }),
  line('1T10:00:09.000', 'PostToolUse', {
    agent_id: 'aA',
    agent_type: 'Explore',
    tool_name: 'Agent',
    tool_use_id: 'tu_B',
    child_agent_id: 'aB',
  }),
  line('1T10:00:10.000', 'PostToolUse', { tool_name: 'Agent', tool_use_id: 'tu_A', child_agent_id: 'aA' }),
  line('1T10:00:11.000', 'Stop'),
  '{"ts":"2030-01-01T10:00:12Z","event":"PreToolUse","sess', // torn by a crash
  'not json at all',
].join('\n');

const DAY2 = [
  line('2T09:00:00.000', 'SessionStart', { session_id: S2 }),
  pre('2T09:00:01.000', 'Bash', { session_id: S2 }),
  pre('2T09:00:02.000', 'Bash', { session_id: S2, agent_id: 'aZ', agent_type: 'orphan' }),
].join('\n');

function repoWithLog() {
  return gitdir({
    '.spine/audit/2030-01-01.jsonl': `${DAY1}\n`,
    '.spine/audit/2030-01-02.jsonl': `${DAY2}\n`,
  });
}

describe('spine audit', () => {
  it('summarises sessions, calls per agent, near-misses and the agent tree as JSON', async () => {
    const repo = repoWithLog();
    const result = await runCli(['audit', '--json'], { cwd: repo });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      schemaVersion: 1,
      events: 15,
      malformedLines: 2,
      since: null,
      logDir: '.spine/audit',
    });
    expect(json.malformed).toEqual([
      { file: '.spine/audit/2030-01-01.jsonl', line: 13 },
      { file: '.spine/audit/2030-01-01.jsonl', line: 14 },
    ]);
    expect(
      json.sessions.map((s: any) => [s.sessionId, s.events, s.toolCalls, s.agents, s.nearMisses]),
    ).toEqual([
      [S1, 12, 6, 2, 3],
      [S2, 3, 2, 1, 0],
    ]);
    expect(json.nearMisses.byRule).toEqual([
      { rule: 'secret-dotenv', deny: 2, ask: 0, total: 2 },
      { rule: 'gate-git-push', deny: 0, ask: 1, total: 1 },
    ]);
    expect(json.nearMisses.byAgent.map((m: any) => [m.agentId, m.total])).toEqual([
      [null, 1],
      ['aA', 1],
      ['aB', 1],
    ]);
    expect(json.agents.find((a: any) => a.agentId === 'aB').tools).toEqual({ Read: 1, Grep: 1 });

    const tree = json.sessions[0].tree;
    expect(tree).toMatchObject({ agentId: null, toolCalls: 2, nearMisses: 1 });
    expect(tree.children).toHaveLength(1);
    expect(tree.children[0]).toMatchObject({
      agentId: 'aA',
      agentType: 'Explore',
      description: 'scan',
      parentKnown: true,
    });
    expect(tree.children[0].children[0]).toMatchObject({
      agentId: 'aB',
      description: 'nested',
      toolCalls: 2,
    });
    expect(json.sessions[1].tree.children[0]).toMatchObject({ agentId: 'aZ', parentKnown: false });
  });

  it('leads with the summary; per-session detail only with --sessions or --verbose', async () => {
    const repo = repoWithLog();
    const quiet = await runCli(['audit'], { cwd: repo });
    expect(quiet.code).toBe(0);
    const lines = quiet.stdout.split('\n');
    expect(lines[0]).toContain('15 event(s) in 2 file(s) of .spine/audit');
    expect(quiet.stdout).toMatch(
      /^ {2}\d+ session\(s\) over \d+ day\(s\), \d+ prompt\(s\), \d+ tool call\(s\), \d+ subagent\(s\)$/m,
    );
    expect(quiet.stdout).toMatch(
      /Near-misses by rule \(\d+\)\n\s+rule\s+deny\s+ask\s+sessions\n\s+secret-dotenv\s+2\s+0/,
    );
    // Two sessions are too few for a rate, as in the report: said, not computed.
    expect(quiet.stdout).toMatch(
      /^ {2}3 near-miss\(es\) \(no rate per 1,000 calls from fewer than 5 sessions\)$/m,
    );
    expect(quiet.stdout).not.toMatch(/\d per 1,000/);
    expect(quiet.stdout).toContain('Tool calls by agent type');
    expect(quiet.stdout).not.toContain('Agent trees');
    expect(quiet.stdout).toContain('spine audit --sessions');
    expect(lines.length).toBeLessThan(25);
    const verbose = await runCli(['audit', '--verbose'], { cwd: repo });
    const result = await runCli(['audit', '--sessions'], { cwd: repo });
    expect(verbose.stdout).toBe(result.stdout);
    expect(result.code).toBe(0);
    // The summary stays first; the detail follows it.
    expect(result.stdout.indexOf('Near-misses by rule')).toBeLessThan(result.stdout.indexOf('Sessions ('));
    expect(result.stdout.indexOf('Near-misses by rule')).toBeLessThan(result.stdout.indexOf('Agent trees'));
    expect(result.stdout).toMatch(/secret-dotenv\s+2\s+0/);
    expect(result.stdout).toContain('main (2 call(s), 1 near-miss(es))');
    expect(result.stdout).toContain('└─ aA Explore "scan" (2 call(s), 1 near-miss(es))');
    expect(result.stdout).toContain('   └─ aB general-purpose "nested" (2 call(s), 1 near-miss(es))');
    expect(result.stdout).toContain('aZ orphan (1 call(s)) (parent not recorded)');
    expect(result.stderr).toBe(
      'spine audit: skipped 2 malformed line(s), first at .spine/audit/2030-01-01.jsonl:13\n',
    );
  });

  it("counts a background subagent's task notification as the agent tree's, not a person's prompt", async () => {
    const log = [
      line('1T10:00:00.000', 'SessionStart', { detail: 'startup' }),
      line('1T10:00:01.000', 'UserPromptSubmit', { prompt: 'fix it' }),
      line('1T10:00:02.000', 'Stop'),
      line('1T10:00:03.000', 'UserPromptSubmit', {
        prompt: '<task-notification>\n<task-id>a1</task-id>\n</task-notification>',
        prompt_kind: 'task-notification',
      }),
      line('1T10:00:04.000', 'Stop'),
    ].join('\n');
    const repo = gitdir({ '.spine/audit/2030-01-01.jsonl': `${log}\n` });
    const result = await runCli(['audit', '--json'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).sessions.map((s: any) => s.prompts)).toEqual([1]);
  });

  it('gives the near-miss rate once there are enough sessions', async () => {
    const days = ['1', '2', '3', '4', '5'].map((d) =>
      [
        line(`${d}T09:00:00.000`, 'SessionStart', { session_id: `s-${d}` }),
        pre(`${d}T09:00:01.000`, 'Bash', { session_id: `s-${d}` }),
        pre(`${d}T09:00:02.000`, 'Read', { session_id: `s-${d}`, decision: 'deny', rule: 'secret-dotenv' }),
      ].join('\n'),
    );
    const repo = gitdir(
      Object.fromEntries(days.map((d, i) => [`.spine/audit/2030-01-0${i + 1}.jsonl`, `${d}\n`])),
    );
    const result = await runCli(['audit'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}5 near-miss\(es\) \(500\.0 per 1,000 calls\)$/m);
  });

  it('--since keeps later events only', async () => {
    const repo = repoWithLog();
    const day = JSON.parse(
      (await runCli(['audit', '--json', '--since', '2030-01-02'], { cwd: repo })).stdout,
    );
    expect([day.events, day.sessions.length, day.files]).toEqual([3, 1, ['.spine/audit/2030-01-02.jsonl']]);
    const time = JSON.parse(
      (await runCli(['audit', '--json', '--since', '2030-01-01T10:00:07Z'], { cwd: repo })).stdout,
    );
    expect(time.events).toBe(8);
  });

  it.each(['yesterday', '2030-13-01', '2030-02-30', '10:00', '7x'])(
    'rejects --since %s with exit 2',
    async (since) => {
      const repo = repoWithLog();
      const before = snapshot(repo);
      const result = await runCli(['audit', '--since', since], { cwd: repo });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^spine: --since ".*" is not a date/);
      expect(snapshot(repo)).toEqual(before);
    },
  );

  it('says so when there is no log yet', async () => {
    const result = await runCli(['audit'], { cwd: gitdir() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No audit events recorded yet');
  });
});
