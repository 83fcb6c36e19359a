import { existsSync, lstatSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctor, onboarded, onboardOnce, SETTINGS } from '../helpers/doctor-repo.js';
import { git, gitdir, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';

/**
 * Repositories onboarded by releases that shipped the hook as an ES module: the lock records
 * `.claude/hooks/spine-hook.mjs` and every settings command names it. doctor names both, and
 * `doctor --fix` and `update` move the repository to spine-hook.cjs, removing the old script only
 * when it holds exactly the bytes the lock recorded and is no link.
 */
const CJS = '.claude/hooks/spine-hook.cjs';
const MJS = '.claude/hooks/spine-hook.mjs';
const LOCK = '.spine/lock.json';
const BUILT = readFileSync(join(REPO_ROOT, 'dist/hooks/spine-hook.cjs'));
/** The files beside the entry, which the old single-file script did not have. */
const BESIDE = ['spine-hook-guard.cjs', 'spine-hook-session.cjs'].map((name) => ({
  path: `.claude/hooks/${name}`,
  built: readFileSync(join(REPO_ROOT, 'dist/hooks', name)),
}));

onboardOnce();

/** The layout of an earlier release: the old script (its bytes locked), its commands, its lock entry. */
function previousLayout(): string {
  const repo = onboarded();
  renameSync(join(repo, CJS), join(repo, MJS));
  // That release's hook was one file: nothing beside it, none in the lock.
  const lock = JSON.parse(readFileSync(join(repo, LOCK), 'utf8'));
  for (const { path } of BESIDE) {
    rmSync(join(repo, path));
    delete lock.files[path];
  }
  writeFileSync(join(repo, LOCK), `${JSON.stringify(lock, null, 2)}\n`);
  for (const file of [SETTINGS, LOCK]) {
    const text = readFileSync(join(repo, file), 'utf8');
    writeFileSync(join(repo, file), text.replaceAll('spine-hook.cjs', 'spine-hook.mjs'));
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'onboarded by an earlier release');
  return repo;
}

const text = (repo: string, file: string) => readFileSync(join(repo, file), 'utf8');

/** The repository runs spine-hook.cjs everywhere and the lock records it, not the old script. */
function expectMoved(repo: string): void {
  expect(readFileSync(join(repo, CJS))).toEqual(BUILT);
  for (const { path, built } of BESIDE) expect(readFileSync(join(repo, path)), path).toEqual(built);
  expect(text(repo, SETTINGS)).not.toContain('spine-hook.mjs');
  expect(text(repo, SETTINGS)).toContain(CJS);
  const lock = JSON.parse(text(repo, LOCK));
  expect(Object.keys(lock.files)).toContain(CJS);
  for (const { path } of BESIDE) expect(Object.keys(lock.files)).toContain(path);
  expect(Object.keys(lock.files)).not.toContain(MJS);
  expect(text(repo, LOCK)).not.toContain('spine-hook.mjs');
}

describe('a repository onboarded with the ES module hook (spine-hook.mjs)', () => {
  it('doctor names the old script and its command lines as outdated (warnings, exit 0)', async () => {
    const repo = previousLayout();
    const { code, codes, report } = await doctor(repo);
    expect(code).toBe(0);
    // The old script, and the five events wired to it.
    expect(codes).toEqual(['warning:hook-script-outdated', ...Array(5).fill('warning:hook-edited')].sort());
    expect(report.findings.find((f) => f.code === 'hook-script-outdated')!.path).toBe(MJS);
    expect(report.findings.filter((f) => f.code === 'hook-edited')[0]!.message).toContain('spine-hook.mjs');
  });

  it('doctor --fix writes spine-hook.cjs, rewrites the commands and the lock, removes the old script', async () => {
    const repo = previousLayout();
    const fix = await runCli(['doctor', '--fix'], { cwd: repo });
    expect(fix.code, fix.stderr).toBe(0);
    expect(fix.stdout).toMatch(/- \.claude\/hooks\/spine-hook\.mjs/);
    expect(existsSync(join(repo, MJS))).toBe(false);
    expectMoved(repo);
    expect((await doctor(repo)).codes).toEqual([]);
  });

  it('the moved hook guards: a secret read is denied through the new command line', async () => {
    const repo = previousLayout();
    expect((await runCli(['doctor', '--fix'], { cwd: repo })).code).toBe(0);
    const command = JSON.parse(text(repo, SETTINGS)).hooks.PreToolUse[0].hooks[0].command;
    const event = JSON.stringify({
      session_id: 's',
      cwd: repo,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'cat .env' },
    });
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync('bash', ['-c', command], {
      cwd: repo,
      input: event,
      env: { ...process.env, CLAUDE_PROJECT_DIR: repo },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
  });

  it('update moves it the same way', async () => {
    const repo = previousLayout();
    const update = await runCli(['update'], { cwd: repo });
    expect(update.code, update.stderr).toBe(0);
    expect(existsSync(join(repo, MJS))).toBe(false);
    expectMoved(repo);
    expect((await doctor(repo)).codes).toEqual([]);
  });
});

describe('a monorepo whose launch directories run the old script too', () => {
  const MONOREPO = {
    'package.json': `${JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] })}\n`,
    'packages/api/package.json': '{"name":"api"}\n',
  };
  const API = 'packages/api/.claude/settings.json';

  it('doctor --fix leaves the move to update, which moves the root and every package', async () => {
    const repo = gitdir(MONOREPO);
    expect((await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo })).code).toBe(0);
    expect(text(repo, API)).toContain('/../../.claude/hooks/spine-hook.cjs');
    renameSync(join(repo, CJS), join(repo, MJS));
    for (const file of [SETTINGS, LOCK, API])
      writeFileSync(join(repo, file), text(repo, file).replaceAll('spine-hook.cjs', 'spine-hook.mjs'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'onboarded by an earlier release');

    const fix = await runCli(['doctor', '--fix', '--json'], { cwd: repo });
    expect(fix.code, fix.stderr).toBe(0);
    const report = JSON.parse(fix.stdout);
    expect(report.skipped).toContainEqual({ path: MJS, reason: expect.stringContaining('spine update') });
    // Nothing moved: every settings file still runs a script that is there.
    expect(existsSync(join(repo, MJS))).toBe(true);
    expect(existsSync(join(repo, CJS))).toBe(false);
    expect(text(repo, SETTINGS)).not.toContain('spine-hook.cjs');
    expect(report.findings.map((f: any) => f.code)).not.toContain('launch-dir-weakened');

    const update = await runCli(['update'], { cwd: repo });
    expect(update.code, update.stderr).toBe(0);
    expect(existsSync(join(repo, MJS))).toBe(false);
    expectMoved(repo);
    expect(text(repo, API)).toContain('/../../.claude/hooks/spine-hook.cjs');
    expect(text(repo, API)).not.toContain('spine-hook.mjs');
    expect((await doctor(repo)).codes).toEqual([]);
  });
});

describe('an old script that is not exactly spine’s is never removed', () => {
  it('edited: doctor says so; --fix moves the repository and leaves the edited file in place, named', async () => {
    const repo = previousLayout();
    writeFileSync(join(repo, MJS), '// the team’s own hook now\n');
    // What the settings run is not spine's hook: an error (the default spine locks its guard).
    const { code, codes } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toContain('error:hook-script-outdated');
    const fix = await runCli(['doctor', '--fix', '--json'], { cwd: repo });
    expect(fix.code, fix.stderr).toBe(0);
    const report = JSON.parse(fix.stdout);
    expect(report.skipped).toContainEqual({ path: MJS, reason: expect.stringContaining('edited') });
    expect(text(repo, MJS)).toBe('// the team’s own hook now\n');
    expectMoved(repo);
    expect((await doctor(repo)).codes).toEqual([]);
  });

  it('edited: update keeps it as the team’s file', async () => {
    const repo = previousLayout();
    writeFileSync(join(repo, MJS), '// the team’s own hook now\n');
    git(repo, 'commit', '-q', '-am', 'edit');
    const update = await runCli(['update'], { cwd: repo });
    expect(update.code, update.stderr).toBe(0);
    expect(text(repo, MJS)).toBe('// the team’s own hook now\n');
    expectMoved(repo);
  });

  it('a link to a copy inside the repository: neither the link nor its target is removed', async () => {
    for (const command of [['doctor', '--fix'], ['update']]) {
      const repo = previousLayout();
      const locked = readFileSync(join(repo, MJS));
      writeTree(repo, { 'tools/hook-copy.mjs': locked });
      renameSync(join(repo, MJS), join(repo, 'tools/kept.mjs'));
      symlinkSync('../../tools/hook-copy.mjs', join(repo, MJS));
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'link');
      const result = await runCli(command, { cwd: repo });
      expect(result.code, `${command.join(' ')}: ${result.stderr}`).toBe(0);
      expect(lstatSync(join(repo, MJS)).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(repo, 'tools/hook-copy.mjs'))).toEqual(locked);
      expectMoved(repo);
    }
  });

  it('a link (or a linked hooks directory) leading out of the repository: nothing outside is touched', async () => {
    for (const command of [['doctor', '--fix'], ['update']]) {
      const repo = previousLayout();
      const outside = tempDir('spine-outside-');
      const locked = readFileSync(join(repo, MJS));
      writeFileSync(join(outside, 'spine-hook.mjs'), locked);
      renameSync(join(repo, MJS), join(outside, 'moved-away.mjs'));
      symlinkSync(join(outside, 'spine-hook.mjs'), join(repo, MJS));
      const result = await runCli(command, { cwd: repo });
      expect(result.code, `${command.join(' ')}: ${result.stderr}`).toBe(0);
      expect(readFileSync(join(outside, 'spine-hook.mjs'))).toEqual(locked);
      expect(readFileSync(join(outside, 'moved-away.mjs'))).toEqual(locked);
      expect(lstatSync(join(repo, MJS)).isSymbolicLink()).toBe(true);
      expectMoved(repo);
    }
  });

  it('a lock naming a file outside .claude/ as the hook: refused (exit 2), nothing changed', async () => {
    for (const command of [['doctor', '--fix'], ['update']]) {
      const repo = previousLayout();
      writeTree(repo, { 'src/app.ts': 'export {};\n' });
      const lock = JSON.parse(text(repo, LOCK));
      const { contentHash } = await import('../../src/core/hash.js');
      lock.files['src/app.ts'] = {
        hash: contentHash(Buffer.from('export {};\n')),
        kind: 'hook',
        owner: 'hook',
      };
      writeFileSync(join(repo, LOCK), `${JSON.stringify(lock, null, 2)}\n`);
      const before = snapshot(repo);
      const result = await runCli(command, { cwd: repo });
      expect(result.code, command.join(' ')).toBe(2);
      expect(result.stderr).toContain('src/app.ts');
      expect(snapshot(repo)).toEqual(before);
    }
  });
});
