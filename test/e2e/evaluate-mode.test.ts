import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { gitdir, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';
import { auditLines, runHook } from '../hooks/run-hook.js';

const TRIAL = 'no-inline-python';

/** The embedded spine plus one deny guardrail on trial; `extra` edits the guardrail. */
function spineWithTrial(extra: Record<string, unknown> = {}): string {
  const dir = join(tempDir('spine-trial-'), 'spine');
  cpSync(EMBEDDED_SPINE, dir, { recursive: true });
  const file = join(dir, 'guardrails/permissions.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.addIn(['deny'], {
    id: TRIAL,
    rules: ['Bash(python3 -c:*)'],
    level: 'default',
    mode: 'evaluate',
    why: 'Inline scripts hide what they read; on trial before it is enforced.',
    ...extra,
  });
  writeFileSync(file, doc.toString());
  return dir;
}

async function onboard(spine: string, team: string): Promise<string> {
  const repo = gitdir({ 'README.md': '# app\n' });
  const init = await runCli(['init', '--spine', spine, '--team', team, '--champion', '@lead', '--yes'], {
    cwd: repo,
  });
  expect(init.code, init.stderr).toBe(0);
  writeTree(repo, { '.env': 'DB_PASSWORD=hunter2\n' });
  return repo;
}

/** One session per command, as the client sends PreToolUse. */
function sessions(repo: string, commands: string[], prefix: string): void {
  commands.forEach((command, i) => {
    runHook(repo, {
      hook_event_name: 'PreToolUse',
      session_id: `${prefix}-${i}`,
      tool_name: 'Bash',
      tool_use_id: `toolu_${prefix}_${i}`,
      tool_input: { command },
      cwd: repo,
    });
  });
}

async function report(...repos: string[]) {
  const run = await runCli(['report', ...repos, '--json'], { cwd: repos[0]! });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

const DETOUR = `python3 -c "print(open('.env').read())"`;
const ORDINARY = 'python3 -c "print(1 + 1)"';

describe('a guardrail on trial (mode: evaluate)', () => {
  let spine: string;
  let alpha: string;
  let beta: string;
  beforeAll(async () => {
    spine = spineWithTrial();
    [alpha, beta] = await Promise.all([onboard(spine, 'alpha'), onboard(spine, 'beta')]);
    // alpha's agent only tries the detour, which the secret guard stops anyway; beta's runs ordinary scripts.
    sessions(alpha, Array(6).fill(DETOUR), 'a');
    sessions(beta, [ORDINARY, ORDINARY, 'ls'], 'b');
  });

  it('passes validate and is not written into the team settings', async () => {
    expect((await runCli(['validate', spine], { cwd: spine })).code).toBe(0);
    const settings = readFileSync(join(alpha, '.claude/settings.json'), 'utf8');
    expect(settings).not.toContain('python3 -c');
    expect(settings).toContain('Bash(curl * | sh*)'); // enforced guardrails are
    const policy = JSON.parse(readFileSync(join(alpha, '.claude/hooks/spine-policy.json'), 'utf8'));
    expect(policy.rules).toContainEqual({
      id: TRIAL,
      effect: 'deny',
      rule: 'Bash(python3 -c:*)',
      evaluate: true,
    });
  });

  it('lets the call through and records the would-be refusal', () => {
    const ran = runHook(beta, {
      hook_event_name: 'PreToolUse',
      session_id: 'b-x',
      tool_name: 'Bash',
      tool_use_id: 'toolu_bx',
      tool_input: { command: ORDINARY },
    });
    expect(ran.stdout).toBe(''); // no deny answer: the client runs it
    const record = auditLines(beta).find((l) => l.tool_use_id === 'toolu_bx');
    expect(record).toMatchObject({
      decision: 'allow',
      evaluated: [{ rule: TRIAL, decision: 'deny', layer: 'rule' }],
    });
    // The detour is still refused by the enforced guard, and the trial guardrail is named too.
    const detour = auditLines(alpha).find((l) => l.tool_use_id === 'toolu_a_0');
    expect(detour).toMatchObject({ decision: 'deny', rule: 'secret-dotenv', evaluated: [{ rule: TRIAL }] });
  });

  it('recommends enforcing it when only detours another layer stopped would be refused', async () => {
    const r = await report(alpha);
    expect(r.evaluation).toEqual([
      expect.objectContaining({
        guardrail: TRIAL,
        hits: 6,
        newlyRefused: 0,
        verdict: 'enforce',
        samples: [],
      }),
    ]);
    expect(r.recommendations.map((x: { kind: string }) => x.kind)).toContain('enforce-guardrail');
  });

  // beta: two sessions above plus the call of the test before.
  it('recommends revising it when it would refuse calls that ran, with redacted examples', async () => {
    const r = await report(alpha, beta);
    const row = r.evaluation[0];
    expect(row).toMatchObject({ guardrail: TRIAL, hits: 9, newlyRefused: 3, verdict: 'revise' });
    expect(row.samples).toEqual([ORDINARY]);
    expect(row.teams.map((t: { team: string }) => t.team)).toEqual(['alpha', 'beta']);
    const rec = r.recommendations.find((x: { kind: string }) => x.kind === 'revise-guardrail');
    expect(rec.evidence).toContain('3 of 9');
    expect(rec.evidence).toContain('beta');
    const text = await runCli(['report', alpha, beta], { cwd: alpha });
    expect(text.stdout).toContain(
      `on trial: ${TRIAL} would have refused 9 call(s), 3 of them calls that ran`,
    );
  });
});

describe('bad input', () => {
  it('an allow guardrail on trial is refused by validate with its place', async () => {
    const dir = join(tempDir('spine-trial-'), 'spine');
    cpSync(EMBEDDED_SPINE, dir, { recursive: true });
    writeFileSync(
      join(dir, 'guardrails/permissions.yaml'),
      `${readFileSync(join(dir, 'guardrails/permissions.yaml'), 'utf8')}\nallow:\n  - id: allow-ls\n    rule: "Bash(ls:*)"\n    level: default\n    mode: evaluate\n    why: listing is harmless\n`,
    );
    const run = await runCli(['validate', dir], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(
      /guardrails\/permissions\.yaml:\d+: error evaluate-allow .*allow-ls.*evaluate applies to deny and ask/,
    );
  });

  it('an unknown mode stops init with exit 2 and writes nothing', async () => {
    const spine = spineWithTrial({ mode: 'observe' });
    const repo = gitdir({ 'README.md': '# app\n' });
    const before = snapshot(repo);
    const run = await runCli(['init', '--spine', spine, '--team', 'alpha', '--yes'], { cwd: repo });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/permissions\.yaml:\d+:\d+/);
    expect(run.stderr).toContain('mode');
    expect(snapshot(repo)).toEqual(before);
    expect(existsSync(join(repo, '.spine'))).toBe(false);
  });
});
