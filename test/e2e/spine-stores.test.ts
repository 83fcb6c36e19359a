import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contribute, GITHUB_UPSTREAM, SKILL, setup } from '../helpers/contribute-setup.js';
import { startFakeGitHub } from '../helpers/fake-github.js';
import { git, gitdir, tempDir, varTmp } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';
import { editFile } from '../helpers/spine-copy.js';

// spine's cache (cached spine clones, the memo) and state (transaction seals) live outside every
// repository. A store that is a symbolic link, owned by another user or writable by everyone may
// hold what someone else wrote there, so spine does not use it.

const cli = (args: string[], cwd: string, cache: string) =>
  runCli(args, { cwd, env: { XDG_CACHE_HOME: cache, XDG_STATE_HOME: join(cache, '..', 'state') } });

/** A repo onboarded with the embedded spine, whose settings the client would void ("yolo"). */
async function voidedSettingsRepo(cache: string): Promise<string> {
  const repo = gitdir({ 'README.md': '# app\n' });
  expect((await cli(['init', '--team', 't', '--champion', '@c', '--yes'], repo, cache)).code).toBe(0);
  const file = join(repo, '.claude/settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8'));
  settings.permissions.defaultMode = 'yolo';
  writeFileSync(file, JSON.stringify(settings, null, 2));
  return repo;
}

/** Rewrites every memoised settings verdict in `cache` to "no problems": what a forger writes. */
function forgeSettingsVerdicts(cache: string): number {
  const dir = join(cache, 'spine/memo/settings');
  const files = readdirSync(dir);
  for (const f of files) {
    const entry = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    writeFileSync(join(dir, f), JSON.stringify({ ...entry, value: [] }));
  }
  return files.length;
}

describe('a memo spine cannot trust', () => {
  it('is not read: a forged settings verdict behind a link or in a store everyone can write changes nothing', async () => {
    // Under /var/tmp: a cache under /tmp is one the sandbox can write (doctor: store-writable).
    const genuine = join(varTmp('spine-store-'), 'cache');
    const repo = await voidedSettingsRepo(genuine);
    const first = await cli(['doctor'], repo, genuine);
    expect(first.code).not.toBe(0);
    expect(first.stdout).toContain('defaultMode');
    expect(forgeSettingsVerdicts(genuine)).toBeGreaterThan(0);

    // The control: through a plain directory of this user the forged verdict is believed — which
    // is why the sandbox must not write there (spine-stores-read-only) and doctor says when it can.
    const believed = await cli(['doctor'], repo, genuine);
    expect(believed.code).toBe(0);
    expect(believed.stdout).not.toContain('defaultMode');

    // The same forged store reached through a link: not used, the settings are checked again.
    const target = join(varTmp('spine-store-'), 'cache');
    cpSync(genuine, target, { recursive: true });
    const viaLink = varTmp('spine-store-');
    symlinkSync(join(target, 'spine'), join(viaLink, 'spine'));
    const throughLink = await cli(['doctor'], repo, viaLink);
    expect(throughLink.code).not.toBe(0);
    expect(throughLink.stdout).toContain('defaultMode');

    // Writable by everyone: not used either.
    chmodSync(join(genuine, 'spine/memo'), 0o777);
    const shared = await cli(['doctor'], repo, genuine);
    expect(shared.code).not.toBe(0);
    expect(shared.stdout).toContain('defaultMode');
  }, 60_000);
});

/** A team repo onboarded from a tagged git spine through the cache; the cached clone's path. */
async function onboardedFromGit(cache: string) {
  const upstream = gitdir({}, 'spine-upstream-');
  cpSync(EMBEDDED_SPINE, upstream, { recursive: true });
  git(upstream, 'add', '-A');
  git(upstream, 'commit', '-q', '-m', 'v1.0.0');
  git(upstream, 'tag', 'v1.0.0');
  const repo = gitdir({ 'README.md': '# app\n' });
  const init = await cli(
    ['init', '--spine', `file://${upstream}`, '--ref', 'v1.0.0', '--team', 't', '--champion', '@c', '--yes'],
    repo,
    cache,
  );
  expect(init.code, init.stderr).toBe(0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'spine');
  const clones = readdirSync(join(cache, 'spine')).filter(
    (f) => f !== 'memo' && f !== 'code-cache' && !f.startsWith('.') && !f.endsWith('.lock'),
  );
  expect(clones).toHaveLength(1);
  return { upstream, repo, clone: join(cache, 'spine', clones[0]!) };
}

describe('a cached spine clone spine cannot trust', () => {
  it('is refused with exit 2 naming it, and nothing is written', async () => {
    const cache = join(tempDir('spine-store-'), 'cache');
    const { repo, clone } = await onboardedFromGit(cache);
    const elsewhere = join(tempDir('spine-store-'), 'clone');
    renameSync(clone, elsewhere);
    symlinkSync(elsewhere, clone);

    for (const args of [['update', '--offline'], ['update']]) {
      const run = await cli(args, repo, cache);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain('spine does not use a cache it cannot trust');
      expect(run.stderr).toContain('is a symbolic link');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 60_000);

  it('whose locked tag now names another commit is refused by update (exit 2, nothing written)', async () => {
    const cache = join(tempDir('spine-store-'), 'cache');
    const { upstream, repo, clone } = await onboardedFromGit(cache);
    // What a forger does: a weakened spine under the same version, and the cached tag moved to it.
    editFile(upstream, 'guardrails/permissions.yaml', (t) =>
      t.replace('      - "Bash(git push --force origin main*)"\n', ''),
    );
    git(upstream, 'commit', '-qam', 'weakened, same version');
    const weakened = git(upstream, 'rev-parse', 'HEAD').trim();
    git(clone, 'fetch', '-q', upstream, 'HEAD');
    git(clone, 'tag', '-f', 'v1.0.0', weakened);

    const offline = await cli(['update', '--offline'], repo, cache);
    expect(offline.code, offline.stderr).toBe(2);
    expect(offline.stderr).toContain('tag v1.0.0 moved');
    expect(offline.stderr).toContain(weakened.slice(0, 12));
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(repo, '.claude/settings.json'), 'utf8')).toContain(
      'git push --force origin main',
    );
    // Online, the clone is fetched first: the tag upstream names the locked commit again.
    const online = await cli(['update'], repo, cache);
    expect(online.code, online.stderr).toBe(0);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  }, 60_000);
});

describe('a hook planted in a cached spine clone', () => {
  it('is never run by the git spine runs to read it', async () => {
    const cache = join(tempDir('spine-store-'), 'cache');
    const { upstream, repo, clone } = await onboardedFromGit(cache);
    const marker = join(tempDir('spine-store-'), 'hook-ran');
    // git runs reference-transaction on every ref a fetch updates (verified with git 2.39).
    writeFileSync(join(clone, 'hooks/reference-transaction'), `#!/bin/sh\ntouch ${marker}\n`, {
      mode: 0o755,
    });
    git(upstream, 'commit', '-q', '--allow-empty', '-m', 'moves main');
    const update = await cli(['update'], repo, cache);
    expect(update.code, update.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    // The fetch did update the clone: the hook had its chance.
    expect(git(clone, 'rev-parse', 'refs/heads/main').trim()).toBe(git(upstream, 'rev-parse', 'HEAD').trim());
  }, 60_000);

  it('is never run by contribute, which checks a work tree out of the clone', async () => {
    const gh = await startFakeGitHub();
    try {
      const s = await setup(GITHUB_UPSTREAM);
      const env = { GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token };
      expect((await contribute(s, [SKILL, '--dry-run'], env)).code).toBe(0); // clones the spine
      const [clone] = readdirSync(join(s.cache, 'spine')).filter(
        (f) => f !== 'memo' && f !== 'code-cache' && !f.startsWith('.') && !f.endsWith('.lock'),
      );
      const marker = join(tempDir('spine-store-'), 'hook-ran');
      for (const hook of ['post-checkout', 'reference-transaction'])
        writeFileSync(join(s.cache, 'spine', clone!, 'hooks', hook), `#!/bin/sh\ntouch ${marker}\n`, {
          mode: 0o755,
        });
      const run = await contribute(s, [SKILL, '--dry-run'], {
        GITHUB_API_URL: gh.url,
        GITHUB_TOKEN: gh.token,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`+++ b/skills/${SKILL}/SKILL.md`);
      expect(existsSync(marker)).toBe(false);
    } finally {
      await gh.close();
    }
  }, 60_000);
});

describe('a state directory spine cannot trust', () => {
  it('holds no seal: a writer refuses with exit 2 before writing anything', async () => {
    const cache = join(tempDir('spine-store-'), 'cache');
    const repo = gitdir({ 'README.md': '# app\n' });
    expect((await cli(['init', '--team', 't', '--champion', '@c', '--yes'], repo, cache)).code).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'spine');
    const settings = join(repo, '.claude/settings.json');
    const weakened = readFileSync(settings, 'utf8').replace(
      /\s*"Bash\(git push --force origin main\*\)",/,
      '',
    );
    writeFileSync(settings, weakened);

    // The state directory is a link to a directory anyone could have filled.
    const planted = tempDir('spine-store-');
    const state = join(cache, '..', 'state', 'spine');
    rmSync(state, { recursive: true, force: true });
    mkdirSync(join(state, '..'), { recursive: true });
    symlinkSync(planted, state);
    const fix = await cli(['doctor', '--fix'], repo, cache);
    expect(fix.code, fix.stderr).toBe(2);
    expect(fix.stderr).toContain('spine does not keep its seals in a state directory it cannot trust');
    expect(fix.stderr).toContain('is a symbolic link');
    expect(readFileSync(settings, 'utf8')).toBe(weakened);
    expect(git(repo, 'status', '--porcelain').trim()).toBe('M .claude/settings.json');
    expect(readdirSync(planted)).toEqual([]);
  }, 60_000);
});

describe('doctor: a store the sandbox can write', () => {
  it('is an error naming the setting and the path; the default places, or a denyWrite for the store, are not', async () => {
    const home = varTmp('spine-store-home-');
    const underTmp = tempDir('spine-store-xdg-', '/tmp');
    const repo = gitdir({ 'README.md': '# app\n' });
    const asPerson = (cache: string) => ({
      HOME: home,
      XDG_CACHE_HOME: cache,
      XDG_STATE_HOME: join(home, '.local/state'),
    });
    const doctor = async (cache: string, ...extra: string[]) => {
      const run = await runCli(['doctor', '--json', ...extra], { cwd: repo, env: asPerson(cache) });
      const findings = (
        JSON.parse(run.stdout).findings as { code: string; message: string; fix: string; path: string }[]
      ).filter((f) => f.code === 'store-writable');
      return { code: run.code, findings };
    };
    const init = await runCli(['init', '--team', 't', '--champion', '@c', '--yes'], {
      cwd: repo,
      env: asPerson(join(home, '.cache')),
    });
    expect(init.code, init.stderr).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'spine');

    // The default place: ~/.cache is writable, ~/.cache/spine is denied.
    expect(await doctor(join(home, '.cache'))).toEqual({ code: 0, findings: [] });

    // A person's XDG_CACHE_HOME under /tmp, which sandbox-temp-files opens.
    const exposed = await doctor(underTmp);
    expect(exposed.code).toBe(1);
    expect(exposed.findings).toHaveLength(1);
    expect(exposed.findings[0]!.path).toBe('.claude/settings.json');
    expect(exposed.findings[0]!.message).toContain(`${underTmp}/spine`);
    expect(exposed.findings[0]!.message).toContain('allowWrite "//tmp"');
    expect(exposed.findings[0]!.fix).toContain('XDG_CACHE_HOME');
    // --fix cannot change the environment: still reported, nothing written.
    const fixed = await doctor(underTmp, '--fix');
    expect(fixed.findings).toHaveLength(1);
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // The remedy the message names: a denyWrite for the store in the personal settings.
    writeFileSync(
      join(repo, '.claude/settings.local.json'),
      JSON.stringify({ sandbox: { filesystem: { denyWrite: [`/${underTmp}/spine`] } } }),
    );
    expect((await doctor(underTmp)).findings).toEqual([]);

    // Without spine-stores-read-only, the default place is open through toolchain-cache's ~/.cache.
    writeFileSync(join(repo, '.claude/settings.local.json'), '{}');
    const settings = join(repo, '.claude/settings.json');
    const s = JSON.parse(readFileSync(settings, 'utf8'));
    s.sandbox.filesystem.denyWrite = s.sandbox.filesystem.denyWrite.filter(
      (p: string) => !p.startsWith('~/'),
    );
    writeFileSync(settings, JSON.stringify(s, null, 2));
    const open = await doctor(join(home, '.cache'));
    expect(open.findings.map((f) => f.message)).toEqual([expect.stringContaining('allowWrite "~/.cache"')]);
    expect(open.findings[0]!.fix).toContain('spine-stores-read-only');
    expect(exposed.findings[0]!.fix).not.toContain('spine-stores-read-only');
  }, 60_000);
});
