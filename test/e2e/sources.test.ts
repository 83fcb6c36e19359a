import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLockedSource, listReleases, verifyManagedFiles } from '../../src/spine/integrity.js';
import { git, gitdir, read, snapshot, tempDir } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';
import { releasedSpine } from '../helpers/spine-copy.js';

const TEAM = ['--team', 'payments', '--champion', '@alice', '--yes', '--json'];

function setVersion(dir: string, version: string): void {
  const file = join(dir, 'spine.yaml');
  writeFileSync(file, read(dir, 'spine.yaml').replace(/^version: .*$/m, `version: ${version}`));
}

/**
 * A spine repository: v1.0.0, v1.1.0 (the latest release), a pre-release tag v2.0.0-rc.1,
 * then an unreleased commit on main that adds a skill, and uncommitted work in the work tree.
 */
function spineRepo() {
  const dir = releasedSpine();
  setVersion(dir, '1.1.0');
  git(dir, 'commit', '-q', '-am', 'v1.1.0');
  git(dir, 'tag', '-a', '-m', 'release 1.1.0', 'v1.1.0');
  setVersion(dir, '2.0.0-rc.1');
  git(dir, 'commit', '-q', '-am', 'rc');
  git(dir, 'tag', 'v2.0.0-rc.1');
  setVersion(dir, '1.2.0');
  mkdirSync(join(dir, 'skills/unreleased'));
  writeFileSync(
    join(dir, 'skills/unreleased/SKILL.md'),
    '---\nname: unreleased\ndescription: Not yet.\n---\n',
  );
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'unreleased work');
  setVersion(dir, '9.9.9'); // uncommitted: never read
  const commit = (ref: string) => git(dir, 'rev-parse', `${ref}^{commit}`);
  return { dir, url: pathToFileURL(dir).href, commit };
}

/** The spine clones in a cache directory: what is beside them (the memo) is not one. */
function clones(cacheDir: string): string[] {
  return readdirSync(cacheDir).filter((n) => n !== 'memo' && n !== 'code-cache' && !n.startsWith('.'));
}

function cacheEnv() {
  const xdg = tempDir('spine-xdg-');
  return { env: { XDG_CACHE_HOME: xdg }, cacheDir: join(xdg, 'spine') };
}

async function initJson(args: string[], env: Record<string, string>) {
  const repo = gitdir();
  const result = await runCli(['init', ...TEAM, ...args], { cwd: repo, env });
  const lock = existsSync(join(repo, '.spine/lock.json'))
    ? JSON.parse(read(repo, '.spine/lock.json'))
    : undefined;
  return { repo, result, lock };
}

describe('spine sources: versions', () => {
  const origin = spineRepo();

  it.each([
    ['a file:// URL', () => origin.url],
    ['a plain path', () => origin.dir],
  ])('installs the latest release from %s, not unreleased or uncommitted work', async (_name, spec) => {
    const { env } = cacheEnv();
    const { repo, result, lock } = await initJson(['--spine', spec()], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lock.spine).toEqual({ name: 'default-spine', version: '1.1.0' });
    expect(lock.source).toEqual({
      spec: spec(),
      url: spec() === origin.url ? origin.url : origin.dir,
      ref: 'v1.1.0',
      commit: origin.commit('v1.1.0'),
    });
    expect(existsSync(join(repo, '.claude/skills/unreleased'))).toBe(false);
  });

  it.each([
    ['a tag', 'v1.0.0', '1.0.0'],
    ['a pre-release tag, when asked', 'v2.0.0-rc.1', '2.0.0-rc.1'],
    ['a branch', 'main', '1.2.0'],
  ])('--ref pins %s', async (_name, ref, version) => {
    const { env } = cacheEnv();
    const { result, lock } = await initJson(['--spine', origin.url, '--ref', ref], env);
    expect(result.code).toBe(0);
    expect(lock.spine.version).toBe(version);
    expect(lock.source).toMatchObject({ ref, commit: origin.commit(ref) });
  });

  it('--ref pins a commit sha', async () => {
    const sha = origin.commit('v1.0.0');
    const { result, lock } = await initJson(
      ['--spine', origin.dir, '--ref', sha.slice(0, 10)],
      cacheEnv().env,
    );
    expect(result.code).toBe(0);
    expect(lock.source).toMatchObject({ ref: sha.slice(0, 10), commit: sha });
  });

  it('reads the default branch when there is no release', async () => {
    const dir = gitdir({}, 'spine-norelease-');
    cpSync(EMBEDDED_SPINE, dir, { recursive: true });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'first');
    const { result, lock } = await initJson(['--spine', dir], cacheEnv().env);
    expect(result.code).toBe(0);
    expect(lock.source).toMatchObject({ ref: 'main', commit: git(dir, 'rev-parse', 'HEAD') });
  });
});

describe('spine sources: cache, offline and concurrency', () => {
  it('works offline from the cache, and fails clearly without one', async () => {
    const origin = spineRepo();
    const { env, cacheDir } = cacheEnv();
    const cold = await initJson(['--spine', origin.url, '--offline'], env);
    expect(cold.result.code).toBe(2);
    expect(cold.result.stderr).toBe(
      `spine: ${origin.url}: not in the spine cache yet; run once without --offline\n`,
    );
    expect(snapshot(cold.repo)).toEqual({});
    expect((await initJson(['--spine', origin.url], env)).result.code).toBe(0);

    renameSync(origin.dir, `${origin.dir}-gone`); // the remote is unreachable now
    const warm = await initJson(['--spine', origin.url, '--offline'], env);
    expect(warm.result.code).toBe(0);
    expect(warm.lock.source.commit).toBe(git(`${origin.dir}-gone`, 'rev-parse', 'v1.1.0^{commit}'));
    const online = await initJson(['--spine', origin.url], env);
    expect(online.result.code).toBe(2);
    expect(online.result.stderr).toMatch(/cannot reach the spine repository/);
    expect(clones(cacheDir)).toHaveLength(1);
  });

  it('two concurrent inits share one cache and both succeed', async () => {
    const origin = spineRepo();
    const { env, cacheDir } = cacheEnv();
    const runs = await Promise.all([
      initJson(['--spine', origin.url], env),
      initJson(['--spine', origin.url], env),
    ]);
    for (const { result, lock } of runs) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(lock.source.commit).toBe(origin.commit('v1.1.0'));
    }
    const entries = readdirSync(cacheDir).filter((n) => n !== 'memo');
    expect(entries).toHaveLength(1); // no lock or temp clone left behind
    expect(git(join(cacheDir, entries[0]!), 'fsck', '--no-progress')).toBe('');
    const again = await Promise.all([
      initJson(['--spine', origin.url], env),
      initJson(['--spine', origin.url], env),
    ]);
    expect(again.map((r) => r.result.code)).toEqual([0, 0]);
  });
});

describe('spine sources: integrity', () => {
  it('reports a moved tag and newer releases, and never follows them', async () => {
    const origin = spineRepo();
    const { env, cacheDir } = cacheEnv();
    const { repo, lock } = await initJson(['--spine', origin.url], env);
    const options = { cwd: repo, offline: false, cacheDir };
    const released = origin.commit('v1.1.0');
    expect(lock.source.commit).toBe(released);
    expect(await checkLockedSource(lock.source, options)).toEqual({
      commitExists: true,
      latestRelease: 'v1.1.0',
      releasesAhead: [],
    });
    git(origin.dir, 'tag', '-f', 'v1.1.0', 'main');
    git(origin.dir, 'tag', 'v1.2.0', 'main');
    const moved = await checkLockedSource(lock.source, options);
    expect(moved).toEqual({
      commitExists: true,
      tagMoved: { tag: 'v1.1.0', locked: released, now: origin.commit('main') },
      latestRelease: 'v1.2.0',
      releasesAhead: ['v1.2.0'],
    });
    expect((await listReleases(lock.source, options)).map((r) => r.tag)).toEqual([
      'v1.2.0',
      'v1.1.0',
      'v1.0.0',
    ]);
    // Offline sees the cache as last fetched; a commit rewritten away is reported.
    const gone = { ...lock.source, ref: 'v1.0.0', commit: 'f'.repeat(40) };
    // v1.1.0 now tags a commit whose spine.yaml says 1.2.0: update would refuse it, so it is
    // never counted as a release ahead.
    expect(await checkLockedSource(gone, { ...options, offline: true })).toMatchObject({
      commitExists: false,
      releasesAhead: ['v1.2.0'],
    });
  });

  it('re-verifies managed files against the lock', async () => {
    const origin = spineRepo();
    const { repo, lock } = await initJson(['--spine', origin.dir], cacheEnv().env);
    writeFileSync(join(repo, '.claude/agents/change-reviewer.md'), 'edited\n');
    rmSync(join(repo, '.claude/spine/GLOSSARY.md'));
    // CRLF line endings from a checkout are not an edit.
    const skill = join(repo, '.claude/skills/review-change/SKILL.md');
    writeFileSync(skill, read(repo, '.claude/skills/review-change/SKILL.md').replace(/\n/g, '\r\n'));
    const statuses = verifyManagedFiles(repo, lock);
    const notOk = statuses.filter((s) => s.status !== 'ok');
    expect(notOk).toEqual([
      { path: '.claude/agents/change-reviewer.md', status: 'edited' },
      { path: '.claude/spine/GLOSSARY.md', status: 'missing' },
    ]);
    expect(statuses.length).toBe(Object.keys(lock.files).length);
  });
});

describe('spine sources: errors (exit 2, one line, nothing written)', () => {
  const origin = spineRepo();

  async function expectError(args: string[], pattern: RegExp, env = cacheEnv().env) {
    const repo = gitdir({ 'README.md': '# app\n' });
    const before = snapshot(repo);
    const result = await runCli(['init', ...TEAM, ...args], { cwd: repo, env });
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split('\n')[0]).toMatch(/^spine: /);
    expect(result.code).toBe(2);
    // With --json the error is also a document on stdout, and nothing else is.
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'bad-input' });
    expect(snapshot(repo)).toEqual(before);
  }

  it('an unknown ref lists the nearest tags', () =>
    expectError(
      ['--spine', origin.url, '--ref', 'v1.1'],
      /unknown ref "v1\.1"; nearest tags: v1\.1\.0, v1\.0\.0/,
    ));

  it('an unreachable remote', () =>
    expectError(['--spine', `${origin.url}-missing`], /-missing: cannot reach the spine repository: /));

  it('a repository that is not a spine', async () => {
    const notSpine = gitdir({ 'README.md': '# not a spine\n' }, 'not-spine-');
    git(notSpine, 'tag', 'v1.0.0');
    await expectError(
      ['--spine', pathToFileURL(notSpine).href],
      /: not a spine: no spine\.yaml at v1\.0\.0 \(/,
    );
  });

  it('a commit whose symlink leaves the spine', async () => {
    const dir = gitdir({}, 'spine-link-');
    cpSync(EMBEDDED_SPINE, dir, { recursive: true });
    symlinkSync('../../../../etc/passwd', join(dir, 'skills/review-change/passwd'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'link');
    await expectError(
      ['--spine', dir],
      /@main:skills\/review-change\/passwd: symlink points outside the spine/,
    );
  });

  it('a cache entry that is not a git repository', async () => {
    const { env, cacheDir } = cacheEnv();
    expect((await initJson(['--spine', origin.url], env)).result.code).toBe(0);
    const entry = join(cacheDir, clones(cacheDir)[0]!);
    rmSync(entry, { recursive: true });
    mkdirSync(entry);
    writeFileSync(join(entry, 'junk'), 'x');
    await expectError(
      ['--spine', origin.url],
      /the spine cache entry is not a git repository; delete it/,
      env,
    );
    await expectError(['--spine', origin.url, '--offline'], /not a git repository/, env);
  });

  it('an authentication failure', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      await expectError(['--spine', `http://127.0.0.1:${port}/acme/spine.git`], /: authentication failed: /);
    } finally {
      server.close();
    }
  });
});
