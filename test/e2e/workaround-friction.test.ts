import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitdir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { hookSession } from '../helpers/telemetry-pipeline.js';
import { auditLines } from '../hooks/run-hook.js';

/**
 * A denial the session then worked around, end to end through the real hook process: the spine's
 * no-force-push-main refuses `git push --force origin main`, and the next call pushes with
 * `--force-with-lease` and succeeds (the transcript, as the client writes it). At SessionEnd the
 * hook records friction on the call that got through; the report lists it and, seen three times,
 * recommends reviewing the rule with the spine change. A refused read of a secret followed by a
 * clean read of another file is not a workaround.
 */

let repo: string;

/** One session: each command in turn through the hook; a refused one fails in the transcript. */
function session(id: string, commands: string[]): Promise<void> {
  return hookSession(repo, id, commands, (callId) => {
    const denied = auditLines(repo).some((l) => l.tool_use_id === callId && l.decision === 'deny');
    return denied ? { output: 'spine: refused', isError: true } : { output: 'done' };
  });
}

beforeAll(async () => {
  repo = gitdir({ 'README.md': '# app\n', '.gitignore': '.env\n' });
  writeFileSync(join(repo, '.env'), 'K=v\n');
  const init = await runCli(['init', '--yes', '--team', 'alpha', '--champion', '@lead'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  for (const n of [1, 2, 3])
    await session(`s${n}`, [
      'git status',
      'git push --force origin main',
      'echo retrying',
      'git push --force-with-lease origin main',
    ]);
  await session('s4', ['cat .env', 'cat README.md']);
}, 120_000);

describe('a denial the session then worked around', () => {
  it('is recorded as friction on the call that got through, naming the rule', () => {
    const friction = auditLines(repo).filter((l) => l.friction);
    expect(friction.map((l) => [l.tool_use_id, l.friction])).toEqual(
      ['s1_3', 's2_3', 's3_3'].map((id) => [
        id,
        {
          layer: 'rule',
          kind: 'workaround',
          class: 'no-force-push-main: git push',
          guardrail: 'no-force-push-main',
        },
      ]),
    );
  });

  it('the report shows it and recommends reviewing the rule', async () => {
    const run = await runCli(['report', repo, '--json'], { cwd: repo });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.friction).toContainEqual(
      expect.objectContaining({
        layer: 'rule',
        kind: 'workaround',
        class: 'no-force-push-main: git push',
        hits: 3,
      }),
    );
    const rec = report.recommendations.find((r: { kind: string }) => r.kind === 'friction');
    expect(rec.title).toBe('no-force-push-main: git push worked around 3 times in 1 team: review the rule');
    expect(rec.command).toContain("narrow no-force-push-main's rules in guardrails/permissions.yaml");
  });
});
