import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JsonFinding, onboarded, onboardOnce } from '../helpers/doctor-repo.js';
import { tempDir } from '../helpers/gitdir.js';
import { canMountPrivately, managedWrapper } from '../helpers/managed-settings.js';
import { BIN } from '../helpers/run-cli.js';

/**
 * doctor reads this machine's managed settings: `allowManagedHooksOnly` keeps spine's project
 * hooks off, and only spine's plugin, enabled there, on a client that runs plugin hooks under the
 * key, keeps the audit. The managed file is installed in a private mount namespace; a fake
 * `claude` on PATH says which client the machine has.
 */

onboardOnce();

const PLUGIN = 'default-spine@default-spine';
const ENABLED = {
  extraKnownMarketplaces: { 'default-spine': { source: { source: 'github', repo: 'acme/spine-plugin' } } },
  enabledPlugins: { [PLUGIN]: true },
  env: { SPINE_PLUGIN_HOOKS: PLUGIN },
};

function fakeClient(version: string): string {
  const bin = tempDir('spine-fake-claude-', '/var/tmp'); // not /tmp: sandbox-writes-path
  writeFileSync(join(bin, 'claude'), `#!/bin/sh\necho "${version} (Claude Code)"\n`);
  chmodSync(join(bin, 'claude'), 0o755);
  return `${bin}:/usr/local/bin:/usr/bin:/bin`;
}

/** `spine doctor --json` on a machine whose managed settings are `managed`. */
function doctorUnder(managed: object, client: string): Promise<{ code: number; findings: JsonFinding[] }> {
  const file = join(tempDir('spine-managed-'), 'managed-settings.json');
  writeFileSync(file, JSON.stringify(managed));
  const repo = onboarded();
  return new Promise((resolve) => {
    execFile(
      managedWrapper(file, process.execPath),
      [BIN, 'doctor', '--offline', '--json'],
      { cwd: repo, env: { ...process.env, CI: '1', PATH: fakeClient(client) } },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, findings: JSON.parse(stdout).findings });
      },
    );
  });
}

const only = (findings: JsonFinding[]) => findings.filter((f) => f.code === 'managed-hooks-only');

describe.skipIf(!canMountPrivately())('managed-hooks-only', () => {
  it('allowManagedHooksOnly without spine plugin: an error, audit is off on this machine, with the fix', async () => {
    const { code, findings } = await doctorUnder({ allowManagedHooksOnly: true }, '2.1.332');
    expect(code).toBe(1);
    expect(only(findings)).toEqual([
      expect.objectContaining({
        severity: 'error',
        category: 'hooks',
        path: '/etc/claude-code/managed-settings.json',
        message: expect.stringMatching(/do not enable spine's plugin .*audit is off on this machine/),
        fix: expect.stringMatching(/--plugin-marketplace/),
      }),
    ]);
  });

  it('the plugin enabled without the marker its copy needs: still an error', async () => {
    const { env: _marker, ...noMarker } = ENABLED;
    const { findings } = await doctorUnder({ ...noMarker, allowManagedHooksOnly: true }, '2.1.332');
    expect(only(findings)).toHaveLength(1);
  });

  it('spine plugin enabled, on a client that runs its hooks under the key: no finding', async () => {
    const { findings } = await doctorUnder({ ...ENABLED, allowManagedHooksOnly: true }, '2.1.332');
    expect(only(findings)).toEqual([]);
  });

  it('spine plugin enabled, on a client that runs no plugin hooks: an error naming the client', async () => {
    const { findings } = await doctorUnder({ ...ENABLED, allowManagedHooksOnly: true }, '2.1.197');
    expect(only(findings)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/Claude Code 2\.1\.197 runs no plugin hooks/),
        fix: expect.stringMatching(/update Claude Code to 2\.1\.332/),
      }),
    ]);
  });

  it('no allowManagedHooksOnly: no finding', async () => {
    const { findings } = await doctorUnder(ENABLED, '2.1.197');
    expect(only(findings)).toEqual([]);
  });
});
