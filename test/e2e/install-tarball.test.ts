import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitdir, tempDir, varTmp } from '../helpers/gitdir.js';
import { type LocalRegistry, startRegistry } from '../helpers/npm-registry.js';
import { REPO_ROOT, TEST_PATH } from '../helpers/run-cli.js';

// The package as a user gets it: `npm pack`, then a global install into a private prefix from a
// loopback registry (the tarball's dependencies as the lockfile pins them, a fresh npm cache), and
// the installed `spine` run on a repository. The install must print no warning on the Node that
// runs the tests (the CI runs Node 20): no EBADENGINE from a dependency wanting a newer Node, no
// install script to allow.

let registry: LocalRegistry;
let prefix: string;
let install: { status: number | null; output: string };

/** A minimal environment: no npm_config_* of the test runner, a private npm cache and config. */
function env(home: string): NodeJS.ProcessEnv {
  return {
    PATH: `${join(prefix, 'bin')}:${TEST_PATH}`,
    HOME: home,
    npm_config_cache: join(home, 'npm-cache'),
    npm_config_userconfig: join(home, 'npmrc'),
    npm_config_update_notifier: 'false',
  };
}

/** npm is the one thing this test cannot do without; everything else it needs is local. */
const HAS_NPM = spawnSync('npm', ['--version']).status === 0;

describe.skipIf(!HAS_NPM)('install from the packed tarball', () => {
  beforeAll(async () => {
    registry = await startRegistry();
    prefix = varTmp('spine-prefix-'); // its bin is on PATH: not /tmp (sandbox-writes-path)
    const home = tempDir('spine-home-');
    // Asynchronously: the registry answers from this process, so a blocking spawn would starve it.
    install = await new Promise((resolve) => {
      execFile(
        'npm',
        [
          'install',
          '--global',
          '--prefix',
          prefix,
          '--registry',
          registry.url,
          '--no-audit',
          '--no-fund',
          registry.tarball,
        ],
        { env: env(home), encoding: 'utf8' },
        (error, stdout, stderr) => {
          const status = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ status, output: `${stdout}${stderr}` });
        },
      );
    });
  }, 240_000);

  afterAll(async () => {
    await registry?.close();
  });

  it('installs with no warnings', () => {
    expect(install.status, install.output).toBe(0);
    expect(install.output).not.toMatch(/warn|EBADENGINE|allowScripts|install-scripts/i);
  });

  it('the installed spine prints its version and onboards and checks a repository', () => {
    const home = tempDir('spine-home-');
    const spine = join(prefix, 'bin', 'spine');
    const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version;
    expect(execFileSync(spine, ['--version'], { env: env(home), encoding: 'utf8' }).trim()).toBe(version);

    const repo = gitdir();
    execFileSync(spine, ['init', '--yes', '--team', 'demo', '--champion', '@x'], {
      cwd: repo,
      env: env(home),
    });
    const doctor = spawnSync(spine, ['doctor', '--offline'], { cwd: repo, env: env(home), encoding: 'utf8' });
    expect(doctor.status, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/No drift/);

    // The hook init installed is the package's, and it guards: the PreToolUse command line of
    // the settings, run as the client runs it, denies a secret read.
    for (const file of ['spine-hook.cjs', 'spine-hook-guard.cjs', 'spine-hook-session.cjs'])
      expect(readFileSync(join(repo, '.claude/hooks', file))).toEqual(
        readFileSync(join(prefix, 'lib/node_modules/agent-spine/dist/hooks', file)),
      );
    const settings = JSON.parse(readFileSync(join(repo, '.claude/settings.json'), 'utf8'));
    const run = spawnSync('bash', ['-c', settings.hooks.PreToolUse[0].hooks[0].command], {
      cwd: repo,
      env: { ...env(home), CLAUDE_PROJECT_DIR: repo },
      input: JSON.stringify({
        session_id: 'tarball',
        cwd: repo,
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command: 'cat .env' },
      }),
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).hookSpecificOutput.permissionDecision).toBe('deny');

    // The docs travel with the package.
    const docs = spawnSync(spine, ['docs', 'doctor'], { env: env(home), encoding: 'utf8' });
    expect(docs.status, docs.stderr).toBe(0);
    expect(docs.stdout).toMatch(/^# spine doctor/);
  });
});
