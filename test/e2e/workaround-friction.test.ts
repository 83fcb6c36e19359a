import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitdir, tempDir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { auditLines, HOOK } from '../hooks/run-hook.js';

/**
 * A denial the session then worked around, end to end through the real hook process: the spine's
 * no-force-push-main refuses `git push --force origin main`, and the next call pushes with
 * `--force-with-lease` and succeeds (the transcript, as the client writes it). At SessionEnd the
 * hook records friction on the call that got through; the report lists it and, seen three times,
 * recommends reviewing the rule with the spine change. A refused read of a secret followed by a
 * clean read of another file is not a workaround.
 */

let repo: string;

function send(payload: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(repo, HOOK)],
      {
        cwd: repo,
        env: {
          ...process.env,
          HOME: tempDir('spine-wa-home-'),
          CLAUDE_PROJECT_DIR: repo,
          CLAUDE_CODE_ENABLE_TELEMETRY: '0',
        },
      },
      (error) => (error ? reject(error) : resolve()),
    );
    child.stdin?.end(JSON.stringify({ cwd: repo, ...payload }));
  });
}

/** One session: each command in turn, PreToolUse through the hook, its result in the transcript. */
async function session(id: string, commands: string[]): Promise<void> {
  const transcript = join(tempDir('spine-wa-transcript-'), `${id}.jsonl`);
  const lines: string[] = [];
  for (const [i, command] of commands.entries()) {
    const call = { tool_name: 'Bash', tool_use_id: `${id}_${i}`, tool_input: { command } };
    await send({ session_id: id, transcript_path: transcript, hook_event_name: 'PreToolUse', ...call });
    const denied = auditLines(repo).some((l) => l.tool_use_id === call.tool_use_id && l.decision === 'deny');
    const ts = new Date(Date.now() + i * 1000).toISOString();
    const text = denied ? 'spine: refused' : 'done';
    lines.push(
      JSON.stringify({
        type: 'assistant',
        timestamp: ts,
        message: {
          content: [{ type: 'tool_use', id: call.tool_use_id, name: 'Bash', input: call.tool_input }],
        },
      }),
      JSON.stringify({
        type: 'user',
        timestamp: ts,
        message: {
          content: [{ type: 'tool_result', tool_use_id: call.tool_use_id, content: text, is_error: denied }],
        },
        toolUseResult: denied ? `Error: ${text}` : { stdout: text, stderr: '' },
      }),
    );
  }
  writeFileSync(transcript, `${lines.join('\n')}\n`);
  await send({ session_id: id, transcript_path: transcript, hook_event_name: 'SessionEnd', reason: 'other' });
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
