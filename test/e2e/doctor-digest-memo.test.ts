import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onboarded, onboardOnce } from '../helpers/doctor-repo.js';
import { git, gitdir, initRepo, varTmp } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { spineCopy } from '../helpers/spine-copy.js';

// A warm doctor takes every sha256 digest it needs from its last run in the repository
// (src/io/digest-memo.ts), kept with the bytes each was computed from, so it never loads
// node:crypto. A digest is taken only for exactly those bytes: the memo must never hide drift.

onboardOnce();

const SKILL = '.claude/skills/review-change/SKILL.md';

/**
 * doctor --json as a person whose home is `home`, and whether the process loaded node:crypto
 * (a preload reports node's list of loaded builtins at exit).
 */
async function doctorIn(repo: string, home: string) {
  const preload = join(home, 'loaded-builtins.cjs');
  const loaded = join(home, 'loaded.json');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList)));\n`,
  );
  const result = await runCli(['doctor', '--json', '--offline'], {
    cwd: repo,
    env: { HOME: home, XDG_CACHE_HOME: undefined, NODE_OPTIONS: `--require ${preload}` },
  });
  const modules = JSON.parse(readFileSync(loaded, 'utf8')) as string[];
  const codes = (JSON.parse(result.stdout).findings as { code: string; path: string }[]).map(
    (f) => `${f.code} ${f.path}`,
  );
  return {
    ...result,
    codes,
    crypto: modules.includes('NativeModule crypto'),
    // An import() of an ES module (a lazily loaded chunk) runs a module job.
    esModules: modules.includes('NativeModule internal/modules/esm/module_job'),
  };
}

describe("doctor's digest memo", () => {
  it('on a repository onboarded from a git spine too: no crypto, no ES module loaded, the same report', async () => {
    // The spine as an organisation keeps it: a git repository with a release tag, read through
    // spine's cached clone.
    const spine = spineCopy();
    initRepo(spine);
    git(spine, 'tag', 'v1.0.0');
    const home = varTmp('spine-digests-');
    const repo = gitdir({ 'README.md': '# app\n' });
    const init = await runCli(
      ['init', '--team', 'payments', '--champion', '@alice', '--yes', '--spine', pathToFileURL(spine).href],
      { cwd: repo, env: { HOME: home, XDG_CACHE_HOME: undefined } },
    );
    expect(init.code, init.stderr).toBe(0);
    const cold = await doctorIn(repo, home);
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.codes).toEqual([]);
    const warm = await doctorIn(repo, home);
    expect(warm.code, warm.stderr).toBe(0);
    // The digests of the memo keys (the clone's name among them) are known in every module that
    // hashes, and the git source, its releases and its commit are read without a lazy chunk.
    expect(warm.crypto).toBe(false);
    expect(warm.esModules).toBe(false);
    expect(warm.stdout).toBe(cold.stdout);
  }, 90_000);

  it('lets a warm doctor run without loading node:crypto, with the same report', async () => {
    const repo = onboarded();
    const home = varTmp('spine-digests-');
    const cold = await doctorIn(repo, home);
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.crypto).toBe(true);
    const dir = join(home, '.cache', 'spine', 'memo', 'digests');
    const [file] = readdirSync(dir);
    expect(statSync(join(dir, file!)).mode & 0o777).toBe(0o600);

    const warm = await doctorIn(repo, home);
    expect(warm.code, warm.stderr).toBe(0);
    expect(warm.crypto).toBe(false);
    expect(warm.stdout).toBe(cold.stdout);
  }, 60_000);

  it('never hides drift: an edit keeping the length and both ends of a file is found', async () => {
    const repo = onboarded();
    const home = varTmp('spine-digests-');
    expect((await doctorIn(repo, home)).codes).toEqual([]);
    const path = join(repo, SKILL);
    const text = readFileSync(path, 'utf8');
    const middle = Math.floor(text.length / 2);
    // One letter swapped in the middle: same length, same first and last bytes.
    const edited = `${text.slice(0, middle)}${text[middle] === 'x' ? 'y' : 'x'}${text.slice(middle + 1)}`;
    expect(edited).toHaveLength(text.length);
    writeFileSync(path, edited);

    const after = await doctorIn(repo, home);
    expect(after.codes).toContain(`managed-file-edited ${SKILL}`);
    // The digest was computed for the new bytes.
    expect(after.crypto).toBe(true);
  }, 60_000);

  it('is kept by spine doctor only: facts, which runs doctor inside, keeps none', async () => {
    const repo = onboarded();
    const home = varTmp('spine-digests-');
    const facts = await runCli(['facts', '--offline'], {
      cwd: repo,
      env: { HOME: home, XDG_CACHE_HOME: undefined },
    });
    expect(facts.code, facts.stderr).toBe(0);
    expect(existsSync(join(home, '.cache', 'spine', 'memo', 'digests'))).toBe(false);
    await doctorIn(repo, home);
    expect(readdirSync(join(home, '.cache', 'spine', 'memo', 'digests'))).toHaveLength(1);
  }, 60_000);

  it('is not used where the cache directory is not trusted', async () => {
    const repo = onboarded();
    const home = varTmp('spine-digests-');
    await doctorIn(repo, home);
    const memo = join(home, '.cache', 'spine', 'memo');
    chmodSync(memo, 0o777);
    const again = await doctorIn(repo, home);
    expect(again.code, again.stderr).toBe(0);
    expect(again.crypto).toBe(true);
  }, 60_000);
});
