import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { gitdir, tempDir, writeTree } from '../helpers/gitdir.js';
import type { ToolUse } from '../helpers/model-server.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';
import { bash, initSpine, scriptedSession } from '../helpers/scripted-session.js';
import { auditLines } from '../hooks/run-hook.js';

// A guardrail on trial (`mode: evaluate`) with the real client and its sandbox: the client runs
// what the trial rule would refuse, the audit log records each would-be refusal, the sandbox still
// stops a disguised secret read (joined by tool_use_id), and the report says what enforcing would
// newly refuse. The same session with the guardrail enforced refuses the calls: the test can fail.

const TRIAL = 'no-inline-python';
const SECRET = 'hunter2-canary';

function spineWithTrial(evaluate: boolean): string {
  const dir = join(tempDir('spine-trial-'), 'spine');
  cpSync(EMBEDDED_SPINE, dir, { recursive: true });
  const file = join(dir, 'guardrails/permissions.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.addIn(['deny'], {
    id: TRIAL,
    rules: ['Bash(python3 -c:*)'],
    level: 'default',
    ...(evaluate ? { mode: 'evaluate' } : {}),
    why: 'Inline scripts hide what they read; on trial before it is enforced.',
  });
  writeFileSync(file, doc.toString());
  return dir;
}

const CALLS: ToolUse[] = [
  bash('python3 -c "print(6 * 7)"', 'toolu_ordinary'),
  // The guard cannot see a secret name here; the sandbox's denyRead stops the read.
  bash(`python3 -c "print(open('.e' + 'nv').read())"`, 'toolu_disguised'),
  bash(`python3 -c "print(open('.env').read())"`, 'toolu_literal'),
];

async function session(evaluate: boolean) {
  const repo = gitdir({ 'README.md': '# app\n' });
  await initSpine(repo, ['--spine', spineWithTrial(evaluate), '--team', 'alpha', '--champion', '@lead']);
  writeTree(repo, { '.env': `DB_PASSWORD=${SECRET}\n` });
  const run = await scriptedSession(repo, CALLS, { timeoutMs: 200_000 });
  expect(run.code, run.stderr).toBe(0);
  return run;
}

describe('a guardrail on trial with the real client', () => {
  it('runs what it would refuse, records it, keeps secrets held; enforced, the same calls are refused', async () => {
    const [trial, enforced] = await Promise.all([session(true), session(false)]);

    // On trial: the client ran the ordinary script; no secret reached the model either way.
    expect(trial.result('toolu_ordinary')).toContain('42');
    for (const s of [trial, enforced]) expect(s.sent).not.toContain(SECRET);

    const report = await runCli(['report', trial.repo, '--json'], { cwd: trial.repo });
    expect(report.code, report.stderr).toBe(0);
    const row = JSON.parse(report.stdout).evaluation.find(
      (e: { guardrail: string }) => e.guardrail === TRIAL,
    );
    // Three would-be refusals; the literal read was stopped by the guard, the disguised one by
    // the sandbox; only the ordinary script is what enforcing would newly refuse.
    expect(row).toMatchObject({ hits: 3, newlyRefused: 1 });
    expect(row.samples).toEqual(['python3 -c "print(6 * 7)"']);
    const audit = auditLines(trial.repo);
    expect(audit.find((l) => l.tool_use_id === 'toolu_literal' && l.event === 'PreToolUse')).toMatchObject({
      decision: 'deny',
      evaluated: [{ rule: TRIAL }],
    });
    expect(audit.find((l) => l.tool_use_id === 'toolu_disguised' && l.event === 'PreToolUse')).toMatchObject({
      decision: 'allow',
      evaluated: [{ rule: TRIAL }],
    });
    expect(audit.some((l) => l.tool_use_id === 'toolu_disguised' && l.layer === 'sandbox')).toBe(true);

    // Enforced: the client's own deny rule refuses every inline script before it runs.
    expect(enforced.result('toolu_ordinary')).not.toContain('42');
    const enforcedReport = await runCli(['report', enforced.repo, '--json'], { cwd: enforced.repo });
    expect(JSON.parse(enforcedReport.stdout).evaluation ?? []).toEqual([]);
  }, 300_000);
});
