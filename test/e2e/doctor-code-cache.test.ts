import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onboarded, onboardOnce, pristineRepo } from '../helpers/doctor-repo.js';
import { varTmp } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

// doctor's code is compiled once and kept in V8's code cache under ~/.cache/spine/code-cache
// (src/io/whole-command.ts); cached code runs as the person, so only a directory spine trusts, and
// that the rendered sandbox denies writes to, holds it.

onboardOnce();

/** doctor run by a person whose home is `home`: the code cache is `~/.cache/spine/code-cache`. */
function doctorWithCache(home: string, env: Record<string, string | undefined> = {}) {
  return runCli(['doctor', '--offline'], {
    cwd: pristineRepo(),
    env: { HOME: home, XDG_CACHE_HOME: undefined, XDG_STATE_HOME: undefined, ...env },
  });
}

/** The exits a cache file was written after: after its first line, a length byte and the names. */
function routesOf(entry: Buffer): string {
  const at = entry.indexOf(0x0a) + 1;
  return entry.toString('latin1', at + 1, at + 1 + entry[at]!);
}

describe("doctor's code cache", () => {
  it('is written by the first run, private to the user, and gives the next run the same report', async () => {
    const home = varTmp('spine-code-cache-');
    const first = await doctorWithCache(home);
    expect(first.code, first.stderr).toBe(0);
    const dir = join(home, '.cache', 'spine', 'code-cache');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^doctor-[0-9a-f]{8}-node${process.version}-`));
    expect(statSync(join(dir, files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const second = await doctorWithCache(home);
    expect(second).toEqual(first);
    expect(readdirSync(dir)).toEqual(files);
  }, 60_000);

  it('replaces a cache V8 refuses and drops earlier builds of the same install, not other installs', async () => {
    const home = varTmp('spine-code-cache-');
    expect((await doctorWithCache(home)).code).toBe(0);
    const dir = join(home, '.cache', 'spine', 'code-cache');
    const [name] = readdirSync(dir);
    const place = name!.slice(0, name!.indexOf('-node'));
    writeFileSync(join(dir, name!), 'not code', { mode: 0o600 });
    writeFileSync(join(dir, `${place}-node${process.version}-an-older-build.bin`), 'old', { mode: 0o600 });
    const elsewhere = `doctor-00000000-node${process.version}-another-install.bin`;
    writeFileSync(join(dir, elsewhere), 'other', { mode: 0o600 });
    const run = await doctorWithCache(home);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([elsewhere, name].sort());
    expect(statSync(join(dir, name!)).size).toBeGreaterThan(1000);
  }, 60_000);

  it('is written after a run that reached its end, not after bad input; a run with findings adds to it once', async () => {
    const home = varTmp('spine-code-cache-');
    const dir = join(home, '.cache', 'spine', 'code-cache');
    // Not onboarded: exit 2, after a fraction of doctor's code. No cache from it.
    const outside = await runCli(['doctor', '--offline'], {
      cwd: varTmp('spine-not-onboarded-'),
      env: { HOME: home, XDG_CACHE_HOME: undefined, XDG_STATE_HOME: undefined },
    });
    expect(outside.code).toBe(2);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    expect((await doctorWithCache(home)).code).toBe(0);
    const [name] = readdirSync(dir);
    const clean = readFileSync(join(dir, name!));
    expect(routesOf(clean)).toBe('0');
    // Findings: the run goes on to code a clean run never reached, and the cache takes it in, once.
    const repo = onboarded();
    writeFileSync(
      join(repo, '.claude/settings.local.json'),
      '{"permissions":{"defaultMode":"bypassPermissions"}}\n',
    );
    const withFindings = () =>
      runCli(['doctor', '--offline'], { cwd: repo, env: { HOME: home, XDG_CACHE_HOME: undefined } });
    expect((await withFindings()).code).toBe(1);
    const both = readFileSync(join(dir, name!));
    expect(routesOf(both)).toBe('0,1');
    expect(both.length).toBeGreaterThan(clean.length);
    const again = await withFindings();
    expect(again.code).toBe(1);
    expect(readFileSync(join(dir, name!))).toEqual(both);
  }, 60_000);

  it('is kept only under ~/.cache/spine, never in an XDG_CACHE_HOME elsewhere the sandbox may not guard', async () => {
    const home = varTmp('spine-code-cache-');
    const elsewhere = varTmp('spine-xdg-cache-');
    const run = await doctorWithCache(home, { XDG_CACHE_HOME: elsewhere });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(elsewhere, 'spine', 'code-cache'))).toBe(false);
    expect(existsSync(join(home, '.cache', 'spine', 'code-cache'))).toBe(false);
  }, 60_000);

  it('is neither read nor written in a directory others may write', async () => {
    const home = varTmp('spine-code-cache-');
    const dir = join(home, '.cache', 'spine', 'code-cache');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    const run = await doctorWithCache(home);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});
