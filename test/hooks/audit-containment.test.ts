import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';
import { onboardedRepo, runHook } from './run-hook.js';

const SESSION = 's1';
const pre = (repo: string) => ({
  session_id: SESSION,
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'ls' },
  tool_use_id: 't1',
  cwd: repo,
});
const day = () => `${new Date().toISOString().slice(0, 10)}.jsonl`;

describe('the hook never writes through a link planted in its audit directory', () => {
  it('a .spine/audit symlinked out of the repo is refused with a warning; the tool call goes on', async () => {
    const repo = await onboardedRepo();
    const outside = tempDir('spine-audit-outside-');
    mkdirSync(join(repo, '.spine'), { recursive: true });
    symlinkSync(outside, join(repo, '.spine/audit'));
    const run = runHook(repo, pre(repo));
    expect([run.code, run.stdout]).toEqual([0, '']);
    expect(run.stderr).toMatch(
      /^spine: could not write the audit log: .*\.spine\/audit is a symlink; left alone/,
    );
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a .spine/audit linked to another directory of the project is not followed either', async () => {
    const repo = await onboardedRepo();
    mkdirSync(join(repo, 'logs'));
    mkdirSync(join(repo, '.spine'), { recursive: true });
    symlinkSync('../logs', join(repo, '.spine/audit'));
    const run = runHook(repo, pre(repo));
    expect(run.stderr).toMatch(/is a symlink; left alone, nothing written through it/);
    expect(readdirSync(join(repo, 'logs'))).toEqual([]);
  });

  it('the day file linked to the policy: the policy is untouched and the guard still decides', async () => {
    const repo = await onboardedRepo();
    const policy = join(repo, '.claude/hooks/spine-policy.json');
    const before = readFileSync(policy, 'utf8');
    mkdirSync(join(repo, '.spine/audit'), { recursive: true });
    symlinkSync('../../.claude/hooks/spine-policy.json', join(repo, '.spine/audit', day()));
    const run = runHook(repo, pre(repo));
    expect([run.code, run.stdout]).toEqual([0, '']);
    expect(run.stderr).toMatch(/could not write the audit log: .*\.jsonl is a symlink; left alone/);
    expect(readFileSync(policy, 'utf8')).toBe(before);
    const secret = runHook(repo, { ...pre(repo), tool_input: { command: 'cat .env' } });
    expect(JSON.parse(secret.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    expect(lstatSync(join(repo, '.spine/audit', day())).isSymbolicLink()).toBe(true);
  });

  it('a day file linked out of the repo, and a FIFO in its place, are never written or waited on', async () => {
    const repo = await onboardedRepo();
    const outside = join(tempDir('spine-audit-outside-'), 'target');
    writeFileSync(outside, 'keep\n');
    mkdirSync(join(repo, '.spine/audit'), { recursive: true });
    symlinkSync(outside, join(repo, '.spine/audit', day()));
    const run = runHook(repo, pre(repo));
    expect(run.stderr).toMatch(/is a symlink; left alone/);
    expect(readFileSync(outside, 'utf8')).toBe('keep\n');
    rmSync(join(repo, '.spine/audit', day()));
    execFileSync('mkfifo', [join(repo, '.spine/audit', day())]);
    const fifo = runHook(repo, { ...pre(repo), tool_input: { command: 'cat .env' } });
    expect(JSON.parse(fifo.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    expect(fifo.stderr).toMatch(/could not write the audit log/);
  });

  it('a .cursor or .pending directory linked out of the repo: Stop, SessionEnd and async writers leave it alone', async () => {
    const repo = await onboardedRepo();
    const outside = tempDir('spine-cursor-outside-');
    writeFileSync(join(outside, `${SESSION}.json`), '{"keep":1}');
    mkdirSync(join(repo, '.spine/audit'), { recursive: true });
    symlinkSync(outside, join(repo, '.spine/audit/.cursor'));
    symlinkSync(outside, join(repo, '.spine/audit/.pending'));
    const transcript = join(repo, 't.jsonl');
    writeFileSync(transcript, '');
    const base = { session_id: SESSION, transcript_path: transcript, cwd: repo };
    const runs = [
      runHook(repo, { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'hi' }),
      runHook(repo, { ...base, hook_event_name: 'Stop' }),
      runHook(repo, { ...base, hook_event_name: 'SessionEnd', reason: 'other' }),
    ];
    for (const run of runs) expect([run.code, run.stdout]).toEqual([0, '']);
    expect(runs.map((r) => r.stderr).join('')).toMatch(/\.(cursor|pending) is a symlink/);
    expect(readdirSync(outside)).toEqual([`${SESSION}.json`]);
    expect(readFileSync(join(outside, `${SESSION}.json`), 'utf8')).toBe('{"keep":1}');
    expect(existsSync(join(repo, '.spine/audit', day()))).toBe(true);
  });
});
