import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHubFleet } from '../helpers/fake-github-fleet.js';
import { startFakeGitLabFleet } from '../helpers/fake-gitlab-fleet.js';
import { git, gitdir, snapshot, tempDir } from '../helpers/gitdir.js';
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

describe('spine report --org: who in the organisation has not started', () => {
  it('looks at every repository it was not given, counts the onboarded, names the rest', async () => {
    const forge = await startFakeGitHubFleet();
    try {
      const root = tempDir('spine-adoption-org-');
      const remotes = tempDir('spine-adoption-remotes-');
      const bare = (dir: string, name: string) => {
        git(dir, 'add', '-A');
        git(dir, 'commit', '-q', '--allow-empty', '-m', 'state');
        const to = join(remotes, `${name}.git`);
        git(dir, 'clone', '-q', '--bare', dir, to);
        return `file://${to}`;
      };
      const payments = await onboarded(root, 'payments');
      const search = await onboarded(root, 'search');
      forge.add('acme/payments', { cloneUrl: bare(payments, 'payments') });
      forge.add('acme/search', { cloneUrl: bare(search, 'search') });
      forge.add('acme/web', { cloneUrl: bare(gitdir({ 'index.html': '<p>web</p>\n' }), 'web') });
      forge.add('acme/legacy', { archived: true, cloneUrl: bare(gitdir({ 'a.txt': 'a\n' }), 'legacy') });
      forge.add('acme/ghost', { cloneUrl: `file://${join(remotes, 'ghost.git')}` });
      const env = { GITHUB_API_URL: forge.url, GITHUB_TOKEN: forge.token, GIT_CONFIG_GLOBAL: '/dev/null' };

      const run = await runCli(['report', 'payments', '--org', 'github:acme', '--json'], { cwd: root, env });
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.adoption).toEqual({
        onboarded: 2,
        notOnboarded: ['github:acme/web'],
        onboardedOutside: ['github:acme/search'],
        unguarded: [],
        share: 2 / 3,
      });
      const notes = report.coverage.notes.join('\n');
      expect(notes).toContain('github:acme: 1 archived repository(ies) left out');
      expect(notes).toMatch(/github:acme: could not read 1, left out: github:acme\/ghost/);
      expect(notes).toContain('whose data was not given, counted as onboarded: github:acme/search');
      // payments was given: its activity is in the report, and it was not looked at again.
      expect(report.repos.map((r: { team: string }) => r.team)).toEqual(['payments']);

      const bad = await runCli(['report', '--org', 'github:nobody'], { cwd: root, env });
      expect([bad.code, bad.stderr]).toEqual([
        2,
        expect.stringMatching(/github:nobody: GitHub refused to list .*404/),
      ]);
    } finally {
      await forge.close();
    }
  });

  it('tells GitLab projects of the same name in different subgroups apart by their full path', async () => {
    const forge = await startFakeGitLabFleet();
    try {
      const root = tempDir('spine-adoption-subgroups-');
      const remotes = tempDir('spine-adoption-subgroup-remotes-');
      const origin = (path: string) => `https://gitlab.example/${path}.git`;
      // What the forge serves for a project: a bare clone of `dir` as it is.
      const publish = (path: string, dir: string) => {
        git(dir, 'add', '-A');
        git(dir, 'commit', '-q', '--allow-empty', '-m', 'state');
        const to = join(remotes, `${path.replaceAll('/', '-')}.git`);
        git(dir, 'clone', '-q', '--bare', dir, to);
        forge.add(path, { cloneUrl: `file://${to}` });
      };
      // team-a's api is given as a path, team-b's as facts; team-c's api has not started.
      const teamA = await onboarded(root, 'api');
      git(teamA, 'remote', 'add', 'origin', origin('platform/team-a/api'));
      publish('platform/team-a/api', teamA);
      const teamB = await onboarded(tempDir('spine-adoption-team-b-'), 'api');
      git(teamB, 'remote', 'add', 'origin', origin('platform/team-b/api'));
      publish('platform/team-b/api', teamB);
      const facts = await runCli(['facts', '--json'], { cwd: teamB });
      expect(facts.code, facts.stderr).toBe(0);
      writeFileSync(join(root, 'team-b-api.json'), facts.stdout);
      publish('platform/team-c/api', gitdir({ 'README.md': '# api\n' }));
      const env = { GITLAB_API_URL: forge.apiUrl, GITLAB_TOKEN: forge.token, GIT_CONFIG_GLOBAL: '/dev/null' };

      const run = await runCli(
        ['report', 'api', '--facts', 'team-b-api.json', '--org', 'gitlab:platform', '--json'],
        { cwd: root, env },
      );
      expect(run.code, run.stderr).toBe(0);
      const { adoption } = JSON.parse(run.stdout);
      expect(adoption).toMatchObject({ onboarded: 2, notOnboarded: ['gitlab:platform/team-c/api'] });
      // team-a and team-b were given: neither was looked at on the forge again.
      expect(adoption.onboardedOutside ?? []).toEqual([]);
    } finally {
      await forge.close();
    }
  });
});
