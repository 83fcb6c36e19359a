import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitdir, read, snapshot, tempDir } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';

// A release tag names the version its spine.yaml must hold: the lock records the file's number,
// doctor and the fleet report count tags. `v2.0.0` holding `version: 1.5.0` is refused by init and
// update (exit 2, nothing written), reported by validate, and counted by its file in the report.

const TEAM = ['--team', 'payments', '--champion', '@alice', '--yes'];

function setVersion(dir: string, version: string): void {
  writeFileSync(
    join(dir, 'spine.yaml'),
    read(dir, 'spine.yaml').replace(/^version: .*$/m, `version: ${version}`),
  );
}

/** A spine work repo and its bare clone: v1.0.0 right, v2.0.0 (annotated) holding 1.5.0. */
function spineRepo() {
  const work = gitdir({}, 'spine-work-');
  cpSync(EMBEDDED_SPINE, work, { recursive: true });
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'v1.0.0');
  git(work, 'tag', 'v1.0.0');
  setVersion(work, '1.5.0');
  git(work, 'commit', '-q', '-am', 'the next release');
  git(work, 'tag', '-a', '-m', 'release 2.0.0', 'v2.0.0');
  const bare = join(tempDir('spine-remote-'), 'spine.git');
  git(work, 'clone', '-q', '--bare', work, bare);
  return { work, bare, bad: git(work, 'rev-parse', 'v2.0.0^{commit}') };
}

const MESSAGE =
  'release tag v2.0.0 holds spine.yaml version 1.5.0: retag that commit as v1.5.0, or set version: 2.0.0 and tag the commit that has it';

let spine: ReturnType<typeof spineRepo>;
let cache: string;
beforeAll(() => {
  spine = spineRepo();
  cache = tempDir('spine-cache-');
});
const env = () => ({ XDG_CACHE_HOME: cache });

/** The team repo as a whole: files, HEAD and status. */
const state = (repo: string) => ({
  files: snapshot(repo),
  head: git(repo, 'rev-parse', 'HEAD'),
  status: git(repo, 'status', '--porcelain'),
});

describe('a release tag that disagrees with spine.yaml', () => {
  it('validate reports it with the tag and the line of the version field; a right tag passes', async () => {
    const result = await runCli(['validate'], { cwd: spine.work });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`spine.yaml@v2.0.0:4:10: error release-version ${MESSAGE}`);
    expect(result.stdout).not.toMatch(/v1\.0\.0/);

    // Retagged: clean. The work tree's own version (unreleased) is not a tag's business.
    const fixed = gitdir({}, 'spine-fixed-');
    cpSync(spine.work, fixed, { recursive: true });
    git(fixed, 'tag', '-d', 'v2.0.0');
    git(fixed, 'tag', 'v1.5.0');
    setVersion(fixed, '1.6.0');
    expect((await runCli(['validate'], { cwd: fixed })).code).toBe(0);
  });

  it('a spine in a sub-folder of another project does not judge that project’s tags', async () => {
    const mono = gitdir({ 'app.txt': 'app\n' }, 'mono-');
    cpSync(EMBEDDED_SPINE, join(mono, 'platform/spine'), { recursive: true });
    git(mono, 'add', '-A');
    git(mono, 'commit', '-q', '-m', 'app 3.2.1');
    git(mono, 'tag', 'v3.2.1');
    const result = await runCli(['validate', 'platform/spine'], { cwd: mono });
    expect(result.stdout + result.stderr).not.toMatch(/release-version/);
    expect(result.code).toBe(0);
  });

  it('init at such a tag exits 2 naming both numbers, nothing written', async () => {
    const repo = gitdir({ 'README.md': '# payments\n' });
    const before = state(repo);
    const result = await runCli(['init', '--spine', spine.bare, '--ref', 'v2.0.0', ...TEAM], {
      cwd: repo,
      env: env(),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`spine: ${spine.bare}@v2.0.0:spine.yaml:4:10: ${MESSAGE}\n`);
    expect(state(repo)).toEqual(before);
  });

  it('init without a ref takes the newest release that holds its version and names the one passed over', async () => {
    const repo = gitdir({ 'README.md': '# payments\n' });
    const result = await runCli(['init', '--spine', spine.bare, ...TEAM], { cwd: repo, env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`passed over v2.0.0: ${MESSAGE}`);
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    expect([lock.source.ref, lock.spine.version]).toEqual(['v1.0.0', '1.0.0']);
  });

  it('update to such a tag exits 2, nothing written; without --to it is passed over; a commit is taken as it is', async () => {
    const repo = gitdir({ 'README.md': '# payments\n' });
    const init = await runCli(['init', '--spine', spine.bare, '--ref', 'v1.0.0', ...TEAM], {
      cwd: repo,
      env: env(),
    });
    expect(init.code, init.stderr).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'onboard');
    const before = state(repo);
    const refused = await runCli(['update', '--to', 'v2.0.0'], { cwd: repo, env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`spine: ${spine.bare}@v2.0.0:spine.yaml:4:10: ${MESSAGE}\n`);
    expect(state(repo)).toEqual(before);

    // Without --to the bad tag blocks nobody: v1.0.0 is the newest usable release, so the repo is
    // current; the tag is named once, and doctor does not suggest it.
    const latest = await runCli(['update'], { cwd: repo, env: env() });
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stderr).toContain(`passed over v2.0.0: ${MESSAGE}`);
    expect(state(repo)).toEqual(before);
    const doctor = await runCli(['doctor', '--json'], { cwd: repo, env: env() });
    expect(doctor.stdout).not.toContain('update-available');
    expect(doctor.stdout).not.toContain('v2.0.0');

    const bySha = await runCli(['update', '--to', spine.bad], { cwd: repo, env: env() });
    expect(bySha.code, bySha.stderr).toBe(0);
    expect(JSON.parse(read(repo, '.spine/lock.json')).spine.version).toBe('1.5.0');
  });

  it('the fleet report counts the release by its spine.yaml, the number the locks record', async () => {
    const root = tempDir('spine-fleet-');
    const onboard = async (name: string, ref: string) => {
      const repo = join(root, name);
      cpSync(gitdir({ 'README.md': `# ${name}\n` }), repo, { recursive: true });
      const init = await runCli(
        ['init', '--spine', spine.work, '--ref', ref, ...TEAM.slice(2), '--team', name],
        {
          cwd: repo,
          env: env(),
        },
      );
      expect(init.code, init.stderr).toBe(0);
    };
    await onboard('current', spine.bad); // on the commit tagged v2.0.0: locked as 1.5.0
    await onboard('behind', 'v1.0.0');
    const result = await runCli(
      ['report', 'current', 'behind', '--spine', spine.work, '--offline', '--json'],
      {
        cwd: root,
        env: env(),
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.releases.list.map((r: { version: string }) => r.version)).toEqual(['1.0.0', '1.5.0']);
    expect(report.releases.latest).toBe('1.5.0');
    const lag = (path: string) => report.repos.find((r: { path: string }) => r.path === path).lagReleases;
    expect([lag('current'), lag('behind')]).toEqual([0, 1]);
    expect(report.coverage.notes.join('\n')).toContain(
      'release tag v2.0.0 holds spine.yaml version 1.5.0: counted as 1.5.0',
    );
  });
});
