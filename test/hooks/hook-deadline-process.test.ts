import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';
import { auditLines, HOOK, hookEvent, onboardedRepo, runHook } from './run-hook.js';

let repo: string;
beforeAll(async () => {
  repo = await onboardedRepo();
});

const event = (name: string, fields?: Record<string, unknown>) => hookEvent(repo, name, fields);

describe('the guard is bounded in time', () => {
  const pre = (command: string) => event('PreToolUse', { tool_name: 'Bash', tool_input: { command } });

  it('answers at once for a backtracking glob beside a long name and for a 200 KB command', () => {
    const dir = tempDir('spine-rd-');
    writeFileSync(join(dir, 'a'.repeat(200)), '');
    const glob = runHook(repo, pre(`cat ${dir}/a*a*a*a*a*a*b`));
    expect([glob.code, glob.stdout, glob.stderr]).toEqual([0, '', '']);
    const words = Array.from({ length: 30_000 }, (_, i) => `w${i}x`).join(' ');
    expect(words.length).toBeGreaterThan(190_000);
    const big = runHook(repo, pre(`cat ${words} .env`));
    expect(JSON.parse(big.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
  });

  it('denies with exit 2 and says why once its time limit passes', () => {
    const words = Array.from({ length: 30_000 }, (_, i) => `w${i}x`).join(' ');
    const input = JSON.stringify(pre(`cat ${words}`));
    const run = spawnSync(process.execPath, [join(repo, HOOK)], {
      input,
      env: { ...process.env, CLAUDE_PROJECT_DIR: repo, SPINE_HOOK_DEADLINE_MS: '1' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^spine: .*could not decide .*; the tool call is blocked/);
  });

  it('stops a decision that is busy, not only one that waits: denied at its limit and recorded so', () => {
    // 800 KB of empty commands keep the decision busy for about 17 s unbounded; no timer or
    // SIGTERM handler runs meanwhile, so only the decision's own clock reads can stop it.
    const before = auditLines(repo).length;
    const started = Date.now();
    const run = spawnSync(process.execPath, [join(repo, HOOK)], {
      input: JSON.stringify(pre('x;'.repeat(400_000))),
      env: { ...process.env, CLAUDE_PROJECT_DIR: repo, SPINE_HOOK_DEADLINE_MS: '500' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^spine: the guard ran out of time: it could not decide within its \d+ ms limit/,
    );
    // Node's start, the policy read and the record fit in the rest of a loaded machine's budget.
    expect(Date.now() - started).toBeLessThan(3000);
    const lines = auditLines(repo);
    expect(lines).toHaveLength(before + 1);
    expect(lines.at(-1)).toMatchObject({
      decision: 'deny',
      layer: 'guard',
      reason: expect.stringMatching(/^spine: the guard ran out of time/),
    });
  });
});
