import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitdir, varTmp } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { releasedSpine } from '../helpers/spine-copy.js';
import { HAS_SCRIPT, runOnTerminal } from '../helpers/terminal.js';

// While a remote spine is cloned or fetched, a person at a terminal sees one line on stderr; pipes,
// logs and --json see nothing. The remote is made slow by a `git` on PATH that sleeps before a
// clone or fetch (the line appears only when the transfer takes a moment).

let env: Record<string, string>;
let url: string;

beforeAll(() => {
  const spine = releasedSpine('spine-remote-');
  url = `file://${spine}`;
  const bin = join(varTmp('spine-slow-git-'), 'bin'); // not /tmp: sandbox-writes-path
  mkdirSync(bin);
  const realGit = git(spine, '--exec-path').trim();
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh\nfor a in "$@"; do case "$a" in fetch|clone) sleep 1;; esac; done\nexec "${realGit}/git" "$@"\n`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  env = { PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: varTmp('spine-cache-') }; // not /tmp: store-writable
});

describe.skipIf(!HAS_SCRIPT)('progress while a remote spine is fetched', () => {
  it('init and doctor say what they fetch on a terminal, and nothing in a pipe', async () => {
    const repo = gitdir();
    const args = ['--spine', url, '--ref', 'v1.0.0', '--team', 't', '--champion', '@a', '--yes'];
    const init = await runOnTerminal(repo, ['init', ...args], [], env);
    expect(init.code, init.output).toBe(0);
    expect(init.output).toContain(`spine: cloning ${url}…`);

    const doctor = await runOnTerminal(repo, ['doctor'], [], env);
    expect(doctor.code, doctor.output).toBe(0);
    expect(doctor.output).toContain(`spine: fetching ${url}…`);

    const piped = await runCli(['doctor'], { cwd: repo, env });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
    const json = await runOnTerminal(repo, ['doctor', '--json'], [], env);
    expect(json.output).not.toContain('fetching');
  });
});
