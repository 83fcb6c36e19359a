import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onboardOnce, pristineRepo } from '../helpers/doctor-repo.js';
import { varTmp } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

// doctor remembers a bwrap probe that succeeded, for the same bwrap binary, boot, kernel,
// namespaces and kernel switches (src/io/sandbox-readiness.ts): a failure is probed every time.

onboardOnce();

/** A PATH whose bwrap records each run and exits with `status`. */
function pathWithBwrap(status: number): { path: string; runs: () => number; bwrap: string } {
  const dir = varTmp('spine-probe-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of ['git', 'socat', 'sh']) {
    symlinkSync(execFileSync('which', [tool], { encoding: 'utf8' }).trim(), join(bin, tool));
  }
  symlinkSync(process.execPath, join(bin, 'node'));
  const log = join(dir, 'runs');
  writeFileSync(log, '');
  const bwrap = join(bin, 'bwrap');
  writeFileSync(
    bwrap,
    `#!/bin/sh\necho run >> ${log}\n${status === 0 ? '' : 'echo "bwrap: no namespace" >&2\n'}exit ${status}\n`,
  );
  chmodSync(bwrap, 0o755);
  return { path: bin, bwrap, runs: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
}

async function doctorMachine(path: string, cache: string) {
  const run = await runCli(['doctor', '--json', '--offline'], {
    cwd: pristineRepo(),
    env: { PATH: path, XDG_CACHE_HOME: cache },
  });
  expect(run.stdout, run.stderr).not.toBe('');
  return JSON.parse(run.stdout).machine as { ready: boolean };
}

describe("doctor's sandbox probe", () => {
  it('runs bwrap once while it succeeds, and again for another bwrap binary', async () => {
    const cache = varTmp('spine-probe-cache-');
    const bwrap = pathWithBwrap(0);
    expect((await doctorMachine(bwrap.path, cache)).ready).toBe(true);
    expect((await doctorMachine(bwrap.path, cache)).ready).toBe(true);
    expect(bwrap.runs()).toBe(1);
    // Replaced (another file identity): probed again.
    writeFileSync(bwrap.bwrap, `${readFileSync(bwrap.bwrap, 'utf8')}# updated\n`);
    expect((await doctorMachine(bwrap.path, cache)).ready).toBe(true);
    expect(bwrap.runs()).toBe(2);
  }, 60_000);

  it('probes a failing bwrap every time', async () => {
    const cache = varTmp('spine-probe-cache-');
    const bwrap = pathWithBwrap(1);
    expect((await doctorMachine(bwrap.path, cache)).ready).toBe(false);
    expect((await doctorMachine(bwrap.path, cache)).ready).toBe(false);
    expect(bwrap.runs()).toBe(2);
  }, 60_000);
});
