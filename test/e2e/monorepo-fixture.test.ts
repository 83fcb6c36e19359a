import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { git, read, tempDir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

/** A real public monorepo's manifests (changesets/changesets, MIT; see the fixture's README). */
const FIXTURE = fileURLToPath(new URL('../fixtures/monorepos/changesets-changesets/', import.meta.url));

function changesetsRepo(): string {
  const dir = join(tempDir('monorepo-fixture-'), 'changesets');
  cpSync(FIXTURE, dir, { recursive: true });
  rmSync(join(dir, 'README.md'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the team repo');
  return dir;
}

/** The workspace members as pnpm reads pnpm-workspace.yaml there: packages/*, scripts/*, site. */
const MEMBERS = [
  ...readdirSync(join(FIXTURE, 'packages')).map((p) => `packages/${p}`),
  'scripts/test-utils',
  'site',
].sort();

describe('a real public monorepo (changesets, a pnpm workspace) onboards with every member guarded', () => {
  it('init finds exactly its 23 workspace members, guards each, and doctor is clean', async () => {
    expect(MEMBERS).toHaveLength(23);
    const repo = changesetsRepo();
    const init = await runCli(['init', '--team', 'changesets', '--champion', '@emmatown', '--yes'], {
      cwd: repo,
    });
    expect(init.code, init.stderr).toBe(0);
    expect(Object.keys(JSON.parse(read(repo, '.spine/lock.json')).launchDirs)).toEqual(MEMBERS);
    for (const member of MEMBERS) {
      const settings = JSON.parse(read(repo, `${member}/.claude/settings.json`));
      expect(settings.permissions.deny, member).toContain('Read(//**/.env)');
      expect(JSON.stringify(settings.hooks), member).toContain('.claude/hooks/spine-hook.cjs');
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'spine init');

    const doctor = await runCli(['doctor', '--json', '--offline'], { cwd: repo });
    expect(doctor.code, doctor.stdout).toBe(0);
    const report = JSON.parse(doctor.stdout);
    expect(report.findings.filter((f: any) => f.severity !== 'info')).toEqual([]);
    expect(report.launchDirs.map((d: any) => [d.path, d.state])).toEqual(MEMBERS.map((m) => [m, 'guarded']));
  });

  it('its CODEOWNERS feeds team zones when the team opts in', async () => {
    const repo = changesetsRepo();
    mkdirSync(join(repo, '.spine'));
    writeFileSync(
      join(repo, '.spine/local.yaml'),
      'team: changesets\nteams:\n  from: codeowners\n  zones:\n    - team: maintainers\n      owners: ["@Andarist"]\n',
    );
    const init = await runCli(['init', '--champion', '@emmatown', '--yes'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(read(repo, '.claude/hooks/spine-zones.json')).rules).toEqual([
      { team: 'maintainers', glob: '/.github/**' },
    ]);
  });
});
