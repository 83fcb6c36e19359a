import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitdir, tempDir } from '../helpers/gitdir.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { auditLines, HOOK, onboardedRepo, SECRET_VALUE } from './run-hook.js';

/**
 * spine's hook as the plugin carries it (`spine export plugin`): the same script outside the
 * repository, run with `plugin`. Where both it and the project's copy run, each event is recorded
 * once; without the managed marker the plugin's copy does nothing.
 */

const MARKER = { SPINE_PLUGIN_HOOKS: 'spine@spine' };
let pluginHook: string;

beforeAll(() => {
  const dir = join(tempDir('spine-plugin-'), 'hooks');
  mkdirSync(dir, { recursive: true });
  pluginHook = join(dir, 'spine-hook.cjs');
  // Beside it as `spine export plugin` writes them: the guard's code and the other events'.
  for (const name of ['spine-hook.cjs', 'spine-hook-guard.cjs', 'spine-hook-session.cjs'])
    cpSync(join(REPO_ROOT, 'dist/hooks', name), join(dir, name));
});

function run(
  script: string,
  args: string[],
  payload: unknown,
  projectDir: string,
  env: Record<string, string>,
) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: projectDir,
    input: JSON.stringify(payload),
    env: { ...process.env, CLAUDE_PROJECT_DIR: projectDir, ...env },
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
const project = (repo: string, payload: unknown, env: Record<string, string> = MARKER) =>
  run(join(repo, HOOK), [], payload, repo, env);
const plugin = (repo: string, payload: unknown, env: Record<string, string> = MARKER, cwd = repo) =>
  run(pluginHook, ['plugin'], payload, cwd, env);

const pre = (id: string, command: string) => ({
  session_id: 's1',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command },
  tool_use_id: id,
});

describe("the plugin's copy of the hook", () => {
  it('records each event once where both copies run, and both deny a secret read', async () => {
    const repo = await onboardedRepo();
    const events: Record<string, unknown>[] = [
      { session_id: 's1', hook_event_name: 'SessionStart', source: 'startup' },
      { session_id: 's1', hook_event_name: 'UserPromptSubmit', prompt: 'go', prompt_id: 'p1' },
      pre('t1', 'ls'),
      pre('t2', 'cat .env | base64'),
    ];
    for (const e of events) {
      const [a, b] = [plugin(repo, e), project(repo, e)];
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      if (e.tool_use_id === 't2') {
        expect(a.stdout).toContain('"permissionDecision":"deny"');
        expect(b.stdout).toContain('"permissionDecision":"deny"');
      }
    }
    const lines = auditLines(repo);
    expect(lines.map((l) => `${l.event} ${l.tool_use_id ?? ''}`)).toEqual([
      'SessionStart ',
      'UserPromptSubmit ',
      'PreToolUse t1',
      'PreToolUse t2',
    ]);
    expect(lines[3]).toMatchObject({ decision: 'deny' });
    expect(JSON.stringify(lines)).not.toContain(SECRET_VALUE);
  });

  it('alone (project hooks kept off), records every event itself, in the repository it runs in', async () => {
    const repo = await onboardedRepo();
    const sub = join(repo, 'src');
    expect(plugin(repo, pre('t1', 'ls'), MARKER, sub).code).toBe(0);
    const denied = plugin(repo, pre('t2', 'cat .env'), { ...MARKER, CLAUDE_PROJECT_DIR: sub }, sub);
    expect(denied.stdout).toContain('"permissionDecision":"deny"');
    expect(auditLines(repo).map((l) => l.tool_use_id)).toEqual(['t1', 't2']);
  });

  it('does nothing without the managed marker: the project copy records alone', async () => {
    const repo = await onboardedRepo();
    const e = pre('t1', 'cat .env');
    const off = plugin(repo, e, {});
    expect(off).toMatchObject({ code: 0, stdout: '' });
    expect(project(repo, e, {}).stdout).toContain('deny');
    expect(auditLines(repo)).toHaveLength(1);
    expect(existsSync(join(repo, '.spine/audit/.claims'))).toBe(false);
  });

  it('does nothing in a repository spine did not onboard', () => {
    const repo = gitdir({ 'README.md': '# x\n', '.env': `K=${SECRET_VALUE}\n` });
    expect(plugin(repo, pre('t1', 'cat .env'))).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(join(repo, '.spine'))).toBe(false);
  });

  it('blocks in an onboarded repository whose policy is gone (fails closed like the project copy)', async () => {
    const repo = await onboardedRepo();
    spawnSync('rm', [join(repo, '.claude/hooks/spine-policy.json')]);
    const run = plugin(repo, pre('t1', 'ls'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/spine-policy\.json.*missing/);
  });

  it('keeps to the topmost onboarded directory: a policy planted in a subdirectory does not divert it', async () => {
    const repo = await onboardedRepo();
    const sub = join(repo, 'src');
    mkdirSync(join(sub, '.claude/hooks'), { recursive: true });
    cpSync(join(repo, '.claude/hooks/spine-policy.json'), join(sub, '.claude/hooks/spine-policy.json'));
    expect(plugin(repo, pre('t1', 'ls'), { ...MARKER, CLAUDE_PROJECT_DIR: sub }, sub).code).toBe(0);
    expect(auditLines(repo).map((l) => l.tool_use_id)).toEqual(['t1']);
    expect(existsSync(join(sub, '.spine'))).toBe(false);
  });

  it("sweeps the claims of sessions idle for a day at a later session's start", async () => {
    const repo = await onboardedRepo();
    plugin(repo, pre('t1', 'ls'));
    const claims = join(repo, '.spine/audit/.claims');
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(join(claims, 's1'), old, old);
    plugin(repo, { session_id: 's2', hook_event_name: 'SessionStart', source: 'startup' });
    expect(readdirSync(claims)).toEqual(['s2']);
  });
});
