import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../helpers/doctor-repo.js';
import { initRepo, varTmp, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

// A directory on the PATH of the person who runs the client, where sandboxed commands may write:
// a `node` planted there runs spine's hook (`node …/spine-hook.cjs`), outside the sandbox.

const SYSTEM = ['/usr/local/bin', '/usr/bin', '/bin'];

async function onboardedRepo(files: Record<string, string> = {}) {
  // Under /var/tmp: a repository under /tmp is writable through sandbox-temp-files as well.
  const repo = varTmp('spine-path-repo-');
  writeTree(repo, { 'README.md': '# app\n', ...files });
  initRepo(repo);
  const home = varTmp('spine-path-home-');
  const init = await runCli(['init', '--team', 't', '--champion', '@c', '--yes'], {
    cwd: repo,
    env: { HOME: home, XDG_CACHE_HOME: undefined, XDG_STATE_HOME: undefined },
  });
  expect(init.code, init.stderr).toBe(0);
  // Run as a person runs it, not through npm (whose npm run puts node_modules/.bin on PATH), unless
  // a test says otherwise: `npm test` sets npm_lifecycle_event for everything it starts.
  const doctor = async (path: string[], npm: Record<string, string> = {}) => {
    const run = await runCli(['doctor', '--json'], {
      cwd: repo,
      env: {
        HOME: home,
        PATH: path.join(':'),
        XDG_CACHE_HOME: undefined,
        XDG_STATE_HOME: undefined,
        npm_lifecycle_event: undefined,
        npm_command: undefined,
        ...npm,
      },
    });
    const report = JSON.parse(run.stdout) as Report;
    return { code: run.code, found: report.findings.filter((f) => f.code === 'sandbox-writes-path') };
  };
  return { repo, home, doctor };
}

describe('spine doctor: a PATH directory the sandbox may write (sandbox-writes-path)', () => {
  it('names the PATH entry, the setting and the guardrail; system directories are no finding', async () => {
    const { home, doctor } = await onboardedRepo();
    expect(await doctor(SYSTEM)).toEqual({ code: 0, found: [] });

    const planted = join(home, '.cache/tools/bin');
    const { code, found } = await doctor([planted, ...SYSTEM]);
    expect(code).toBe(1);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'error',
      category: 'sandbox',
      path: '.claude/settings.json',
      guardrail: 'toolchain-cache',
    });
    expect(found[0]!.message).toContain(`PATH entry ${planted}`);
    expect(found[0]!.message).toContain('sandbox.filesystem.allowWrite "~/.cache"');
    expect(found[0]!.message).toContain("a `node` there runs spine's hook");
    expect(found[0]!.fix).toContain(`"/${planted}" to sandbox.filesystem.denyWrite`);
  }, 60_000);

  it('a relative entry inside the project and a link into a writable directory are found; a denyWrite over one clears it', async () => {
    const { repo, home, doctor } = await onboardedRepo();
    const target = join(home, '.cache/linked');
    mkdirSync(target, { recursive: true });
    const link = join(home, 'bin');
    symlinkSync(target, link);

    const { found } = await doctor(['node_modules/.bin', link, ...SYSTEM]);
    const byEntry = new Map(found.map((f) => [f.message.split(' ')[2], f.message]));
    expect([...byEntry.keys()].sort()).toEqual([link, 'node_modules/.bin'].sort());
    expect(byEntry.get('node_modules/.bin')).toContain('it lies inside the project');
    expect(byEntry.get(link)).toContain(`(${target})`);

    const local = join(repo, '.claude/settings.local.json');
    writeFileSync(local, JSON.stringify({ sandbox: { filesystem: { denyWrite: [`/${target}`] } } }, null, 2));
    expect(
      (await doctor(['node_modules/.bin', link, ...SYSTEM])).found.map((f) => f.message.split(' ')[2]),
    ).toEqual(['node_modules/.bin']);
  }, 60_000);

  it('the node_modules/.bin entries npm run puts in front of PATH for its script are no finding', async () => {
    const { repo, doctor } = await onboardedRepo();
    const path = [join(repo, 'node_modules/.bin'), ...SYSTEM];
    expect(await doctor(path, { npm_lifecycle_event: 'doctor', npm_command: 'run-script' })).toEqual({
      code: 0,
      found: [],
    });
    // The control: the same PATH in a person's shell (direnv, a profile) is found.
    expect((await doctor(path)).found).toHaveLength(1);
  }, 60_000);

  it("pnpm's global bin directory (PNPM_HOME) and the launcher caches are no finding: the defaults open pnpm's store only and deny the launchers", async () => {
    const { home, doctor } = await onboardedRepo({
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'package.json': '{}\n',
    });
    const dirs = [
      '.local/share/pnpm',
      '.cache/node/corepack/v1/pnpm/9.0.0/bin',
      '.cache/pre-commit/repo1/bin',
      '.npm/_npx/abc/node_modules/.bin',
    ];
    expect(await doctor([...dirs.map((d) => join(home, d)), ...SYSTEM])).toEqual({ code: 0, found: [] });
    // The control: pnpm's store itself is writable, and doctor says so when it is on PATH.
    const store = join(home, '.local/share/pnpm/store/bin');
    const { found } = await doctor([store, ...SYSTEM]);
    expect(found.map((f) => f.guardrail)).toEqual(['toolchain-pnpm']);
  }, 60_000);
});
