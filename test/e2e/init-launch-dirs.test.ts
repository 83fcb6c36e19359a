import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitdir, read, tempDir, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

const WORKSPACES = { 'package.json': '{"name":"mono","private":true,"workspaces":["packages/*"]}\n' };
const init = (repo: string) =>
  runCli(['init', '--team', 'payments', '--champion', '@a', '--yes'], { cwd: repo });
/** What init may have written: nothing of spine's anywhere when it refuses. */
const untouched = (repo: string) => {
  expect(existsSync(join(repo, '.spine'))).toBe(false);
  expect(existsSync(join(repo, '.claude'))).toBe(false);
  expect(existsSync(join(repo, 'CLAUDE.md'))).toBe(false);
};

describe('spine init: bad launch directories', () => {
  it('refuses workspace globs that match more directories than the cap, with the count and the override', async () => {
    const repo = gitdir(WORKSPACES);
    for (let i = 0; i < 501; i++) writeTree(repo, { [`packages/p${i}/package.json`]: '{}\n' });
    const result = await init(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '501 launch directories found, more than the cap of 500: nothing written',
    );
    expect(result.stderr).toContain('launchDirs.max: 501');
    untouched(repo);
    expect(readdirSync(join(repo, 'packages/p0'))).toEqual(['package.json']);
  });

  it('takes a raised cap from .spine/local.yaml', async () => {
    const repo = gitdir({
      ...WORKSPACES,
      '.spine/local.yaml': 'team: payments\nchampion: "@a"\nlaunchDirs:\n  max: 2\n',
    });
    for (let i = 0; i < 3; i++) writeTree(repo, { [`packages/p${i}/package.json`]: '{}\n' });
    const refused = await init(repo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('.spine/local.yaml');
    expect(refused.stderr).toContain('3 launch directories found, more than the cap of 2');
    expect(existsSync(join(repo, 'packages/p0/.claude'))).toBe(false);

    writeFileSync(join(repo, '.spine/local.yaml'), 'team: payments\nchampion: "@a"\nlaunchDirs:\n  max: 3\n');
    expect((await init(repo)).code).toBe(0);
    for (let i = 0; i < 3; i++)
      expect(existsSync(join(repo, `packages/p${i}/.claude/settings.json`))).toBe(true);
  });

  it('skips and names a package directory that is a symbolic link out of the repository', async () => {
    const outside = tempDir('spine-outside-');
    writeTree(outside, { 'package.json': '{"name":"elsewhere"}\n' });
    const repo = gitdir({ ...WORKSPACES, 'packages/api/package.json': '{}\n' });
    mkdirSync(join(repo, 'packages'), { recursive: true });
    symlinkSync(outside, join(repo, 'packages/ext'));
    const result = await init(repo);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'launch directory packages/ext skipped: a symbolic link out of the repository',
    );
    expect(readdirSync(outside)).toEqual(['package.json']);
    expect(Object.keys(JSON.parse(read(repo, '.spine/lock.json')).launchDirs)).toEqual(['packages/api']);
  });

  it('refuses a package settings file the client would drop, naming it, and writes nothing', async () => {
    const broken = '{ "permissions": { "deny": [ }\n';
    const repo = gitdir({
      ...WORKSPACES,
      'packages/api/package.json': '{}\n',
      'packages/api/.claude/settings.json': broken,
    });
    const result = await init(repo);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('packages/api/.claude/settings.json');
    untouched(repo);
    expect(read(repo, 'packages/api/.claude/settings.json')).toBe(broken);
  });
});

describe('spine init: workspace manifests in YAML and TOML', () => {
  // Their parsers load only when such a manifest is there: this runs them from the built package.
  it('finds the members a pnpm workspace, a Cargo workspace and a uv workspace declare', async () => {
    const repo = gitdir({
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n',
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
      'pyproject.toml': '[tool.uv.workspace]\nmembers = ["py/*"]\n',
      'apps/web/package.json': '{}\n',
      'crates/core/Cargo.toml': '[package]\nname = "core"\n',
      'py/lib/pyproject.toml': '[project]\nname = "lib"\n',
    });
    const result = await runCli(['init', '--team', 'payments', '--champion', '@a', '--yes', '--json'], {
      cwd: repo,
    });
    expect(result.code, result.stderr).toBe(0);
    const { launchDirs, warnings } = JSON.parse(result.stdout);
    expect(warnings).toEqual([]);
    expect(launchDirs).toEqual([
      { path: 'apps/web', reasons: ['pnpm workspace (pnpm-workspace.yaml)'] },
      { path: 'crates/core', reasons: ['Cargo workspace member (Cargo.toml)'] },
      { path: 'py/lib', reasons: ['uv workspace member (pyproject.toml)'] },
    ]);
  });
});
