import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git } from '../helpers/gitdir.js';
import { onboardedRepo, runHook, SECRET_VALUE } from './run-hook.js';

// A repo whose .env was committed and then deleted from the work tree: the OS sandbox has no
// file left to hide, and git still prints the secret from its object store.
let repo: string;
let app: string;
beforeAll(async () => {
  repo = await onboardedRepo();
  git(repo, 'add', '-f', '.env');
  git(repo, 'commit', '-q', '-m', 'add config');
  rmSync(join(repo, '.env'));
  app = join(repo, 'app');
  mkdirSync(app);
});

function preToolUse(command: string) {
  return runHook(
    repo,
    { session_id: 's1', cwd: app, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } },
    app,
  );
}

function bash(command: string): string {
  return execFileSync('bash', ['-c', command], {
    cwd: app,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('the hook denies git commands that print a tracked secret', () => {
  it.each([
    'git show :.env',
    'git show HEAD:.env',
    'git show "HEAD:.e""nv"',
    'git cat-file -p HEAD:.env',
    'git -C .. log -p -- .env',
    'git log -p -- :/.env',
    "git diff -- ':(top).env'",
    'git grep sk_live HEAD -- :/.env',
    'git -C "$PWD/.." show HEAD~0:./.env',
  ])('%s', (command) => {
    // The command really prints the secret here: without the guard the model would see it.
    expect(bash(command)).toContain(SECRET_VALUE);
    const run = preToolUse(command);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout).hookSpecificOutput;
    expect(answer).toMatchObject({ hookEventName: 'PreToolUse', permissionDecision: 'deny' });
    expect(answer.permissionDecisionReason).toMatch(/^spine: secret-dotenv: /);
  });

  it.each([
    'git status',
    'git log --oneline',
    'git add ../.env.example',
    'git show HEAD --stat',
    'git diff -- . ":!../.env"',
  ])('lets %s through', (command) => {
    expect(bash(command)).not.toContain(SECRET_VALUE);
    expect(preToolUse(command)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
