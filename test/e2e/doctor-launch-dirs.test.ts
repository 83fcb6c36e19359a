import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir, read, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

/** A monorepo onboarded with the embedded spine: npm workspaces with two packages, committed. */
async function monorepo(): Promise<string> {
  const repo = gitdir({
    'package.json': '{"name":"mono","private":true,"workspaces":["packages/*"]}\n',
    'packages/api/package.json': '{"name":"api"}\n',
    'packages/web/package.json': '{"name":"web"}\n',
  });
  const init = await runCli(['init', '--team', 'payments', '--champion', '@a', '--yes'], { cwd: repo });
  expect(init.code).toBe(0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'spine init');
  return repo;
}

const doctorJson = async (repo: string, ...args: string[]) => {
  const result = await runCli(['doctor', '--json', '--offline', ...args], { cwd: repo });
  return { code: result.code, report: JSON.parse(result.stdout) };
};
const codes = (report: { findings: { code: string; path: string; severity: string }[] }) =>
  report.findings.filter((f) => f.code.startsWith('launch-dir')).map((f) => [f.code, f.severity, f.path]);
const API = 'packages/api/.claude/settings.json';

describe('spine doctor: launch directories', () => {
  it('lists every launch directory in --json; a new package is reported and --fix guards it', async () => {
    const repo = await monorepo();
    const clean = await doctorJson(repo);
    expect(clean.code).toBe(0);
    expect(clean.report.launchDirs.map((d: any) => [d.path, d.state, d.recorded])).toEqual([
      ['packages/api', 'guarded', true],
      ['packages/web', 'guarded', true],
    ]);

    writeTree(repo, { 'packages/new/package.json': '{"name":"new"}\n', 'tools/cli/CLAUDE.md': '# cli\n' });
    const holes = await doctorJson(repo);
    expect(holes.code).toBe(1);
    expect(codes(holes.report)).toEqual([
      ['launch-dir-unguarded', 'error', 'packages/new/.claude/settings.json'],
      ['launch-dir-unguarded', 'error', 'tools/cli/.claude/settings.json'],
    ]);
    expect(holes.report.launchDirs.find((d: any) => d.path === 'packages/new')).toMatchObject({
      state: 'unguarded',
      settings: 'missing',
      recorded: false,
    });

    const fixed = await runCli(['doctor', '--fix', '--offline'], { cwd: repo });
    expect(fixed.code).toBe(0);
    expect(JSON.parse(read(repo, 'packages/new/.claude/settings.json')).permissions.deny).toContain(
      'Read(//**/.env)',
    );
    expect(Object.keys(JSON.parse(read(repo, '.spine/lock.json')).launchDirs)).toEqual([
      'packages/api',
      'packages/new',
      'packages/web',
      'tools/cli',
    ]);
    expect(codes((await doctorJson(repo)).report)).toEqual([]);
  });

  it("restores a package's removed locked rules, keeping its own entries", async () => {
    const repo = await monorepo();
    const settings = JSON.parse(read(repo, API));
    settings.permissions.deny = settings.permissions.deny.filter((r: string) => !r.includes('.env'));
    settings.permissions.allow = ['Bash(make test)'];
    writeFileSync(join(repo, API), `${JSON.stringify(settings, null, 2)}\n`);
    git(repo, 'commit', '-qam', 'api drops env rules');

    const { code, report } = await doctorJson(repo);
    expect(code).toBe(1);
    expect(codes(report)).toEqual([['launch-dir-unguarded', 'error', API]]);
    expect(report.findings[0].message).toContain('Read(//**/.env)');

    expect((await runCli(['doctor', '--fix', '--offline'], { cwd: repo })).code).toBe(0);
    const after = JSON.parse(read(repo, API));
    expect(after.permissions.deny).toContain('Read(//**/.env)');
    expect(after.permissions.allow).toEqual(['Bash(make test)']);
  });

  it("reports a package's settings that weaken a locked guardrail", async () => {
    const repo = await monorepo();
    const settings = JSON.parse(read(repo, API));
    settings.permissions.deny = settings.permissions.deny.filter((r: string) => r !== 'Read(//**/.env)');
    settings.permissions.allow = ['Read(//**/.env)'];
    writeFileSync(join(repo, API), `${JSON.stringify(settings, null, 2)}\n`);

    const { code, report } = await doctorJson(repo);
    expect(code).toBe(1);
    expect(codes(report)).toContainEqual(['launch-dir-weakened', 'error', API]);
    expect(report.launchDirs.find((d: any) => d.path === 'packages/api').state).toBe('weakened');
    await runCli(['doctor', '--fix', '--offline'], { cwd: repo });
    expect(JSON.parse(read(repo, API)).permissions.deny).toContain('Read(//**/.env)');
  });

  it('names a package settings file the client drops, and --fix leaves it for a person', async () => {
    const repo = await monorepo();
    writeFileSync(join(repo, API), '{ "permissions": { "deny": [ }\n');
    const { code, report } = await doctorJson(repo);
    expect(code).toBe(1);
    expect(codes(report)).toEqual([['launch-dir-unguarded', 'error', API]]);
    expect(report.launchDirs.find((d: any) => d.path === 'packages/api').settings).toBe('dropped');

    const fixed = await doctorJson(repo, '--fix');
    expect(fixed.report.skipped).toEqual([{ path: API, reason: expect.stringContaining('by hand') }]);
    expect(read(repo, API)).toBe('{ "permissions": { "deny": [ }\n');
  });

  it('lists a deleted package no more', async () => {
    const repo = await monorepo();
    rmSync(join(repo, 'packages/web'), { recursive: true });
    const { code, report } = await doctorJson(repo);
    expect(code).toBe(0);
    expect(report.launchDirs.map((d: any) => d.path)).toEqual(['packages/api']);
  });

  it('spine report counts the unguarded launch directories of each repo', async () => {
    const repo = await monorepo();
    writeTree(repo, { 'packages/new/package.json': '{"name":"new"}\n', 'packages/two/package.json': '{}\n' });
    const result = await runCli(['report', repo, '--offline', '--json'], { cwd: repo });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.repos[0].unguardedLaunchDirs).toBe(2);
    expect(report.drift).toMatchObject({ unguardedLaunchDirs: 2, reposWithUnguardedLaunchDirs: 1 });
    expect(report.recommendations.map((r: { kind: string }) => r.kind)).toContain('unguarded-launch-dirs');
    const human = await runCli(['report', repo, '--offline'], { cwd: repo });
    expect(human.stdout).toContain('launch directories without the spine: 2 in 1 repo(s)');
  });

  it('--fix guards no launch directory past the cap, naming the count and the override', async () => {
    const repo = await monorepo();
    writeFileSync(
      join(repo, '.spine/local.yaml'),
      `${read(repo, '.spine/local.yaml')}launchDirs:\n  max: 3\n`,
    );
    writeTree(repo, { 'packages/c/package.json': '{}\n', 'packages/d/package.json': '{}\n' });
    const fixed = await doctorJson(repo, '--fix');
    expect(fixed.code).toBe(1);
    expect(fixed.report.fixed).toEqual([]);
    expect(fixed.report.skipped).toEqual([
      {
        path: '.spine/local.yaml',
        reason: expect.stringContaining('4 launch directories, more than the cap of 3'),
      },
    ]);
    expect(existsSync(join(repo, 'packages/c/.claude'))).toBe(false);
  });

  it('--json names the directories the team excluded, and doctor does not report them', async () => {
    const repo = await monorepo();
    writeFileSync(
      join(repo, '.spine/local.yaml'),
      `${read(repo, '.spine/local.yaml')}launchDirs:\n  exclude: ["packages/scratch"]\n`,
    );
    writeTree(repo, { 'packages/scratch/package.json': '{}\n' });
    const { code, report } = await doctorJson(repo);
    expect(code).toBe(0);
    expect(report.skippedLaunchDirs).toEqual([
      { path: 'packages/scratch', reason: 'excluded in .spine/local.yaml' },
    ]);
    expect(report.launchDirs.map((d: any) => d.path)).toEqual(['packages/api', 'packages/web']);
  });
});
