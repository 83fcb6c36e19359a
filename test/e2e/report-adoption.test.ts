import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitdir, snapshot, tempDir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

async function onboarded(root: string, name: string): Promise<string> {
  const repo = gitdir({ 'README.md': `# ${name}\n` });
  const dest = join(root, name);
  const { renameSync } = await import('node:fs');
  renameSync(repo, dest);
  const init = await runCli(['init', '--team', name, '--champion', `@${name}-lead`, '--yes'], { cwd: dest });
  expect(init.code, init.stderr).toBe(0);
  return dest;
}

describe('spine report on a fleet where some repositories have not started', () => {
  let root: string;
  beforeAll(async () => {
    root = tempDir('spine-adoption-');
    await Promise.all([onboarded(root, 'payments'), onboarded(root, 'search')]);
    const { renameSync } = await import('node:fs');
    renameSync(gitdir({ 'index.html': '<p>web</p>\n' }), join(root, 'web'));
  });

  it('counts them, leads with the adoption card and says who to onboard', async () => {
    const run = await runCli(['report', 'payments', 'search', 'web', '--json'], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.adoption).toEqual({ onboarded: 2, notOnboarded: ['web'], unguarded: [], share: 2 / 3 });
    expect(report.headline[0]).toMatchObject({
      key: 'adoption',
      status: 'watch',
      display: '2 of 3 repositories onboarded',
      drivers: ['not yet: web'],
    });
    const onboard = report.recommendations.find((r: { kind: string }) => r.kind === 'onboard');
    expect(onboard.command).toContain('spine init');
    expect(onboard.command).toContain('web');
    // The onboarded repos are reported as before.
    expect(report.repos.map((r: { team: string }) => r.team).sort()).toEqual(['payments', 'search']);
  });

  it('says it in the terminal summary too', async () => {
    const run = await runCli(['report', 'payments', 'web', 'search'], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('adoption: 2 of 3 repositories onboarded; not yet: web');
    expect(run.stdout).toMatch(/Onboard web: 1 of 3 have no spine yet/);
  });

  it('has no adoption card when every repository given is onboarded, adoption still in --json', async () => {
    const run = await runCli(['report', 'payments', 'search', '--json'], { cwd: root });
    const report = JSON.parse(run.stdout);
    expect(report.headline.some((h: { key: string }) => h.key === 'adoption')).toBe(false);
    expect(report.adoption).toMatchObject({ onboarded: 2, notOnboarded: [], share: 1 });
    expect(report.recommendations.some((r: { kind: string }) => r.kind === 'onboard')).toBe(false);
  });

  it('refuses with exit 2 when none of them is onboarded, writing nothing', async () => {
    const before = snapshot(root);
    const run = await runCli(['report', 'web', '--html', 'out.html'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not onboarded yet \(no \.spine\/lock\.json\): web; run spine init/);
    expect(snapshot(root)).toEqual(before);
  });
});
