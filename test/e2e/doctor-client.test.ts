import { execFile } from 'node:child_process';
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENTS } from '../helpers/claude.js';
import {
  editJson,
  type JsonFinding,
  LOCAL_SETTINGS,
  onboarded,
  onboardOnce,
  SETTINGS,
} from '../helpers/doctor-repo.js';
import { tempDir } from '../helpers/gitdir.js';
import { canMountPrivately, managedWrapper } from '../helpers/managed-settings.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { OTEL_EXAMPLE, telemetrySpine } from '../helpers/spine-copy.js';
import { onboardTeam } from '../helpers/telemetry-pipeline.js';

/**
 * doctor reads the client on the machine without starting a session and judges the settings by
 * what that client honours. A fake `claude` on PATH prints a version, as `claude --version` does.
 */

onboardOnce();

/** A PATH whose `claude` prints `version`; git and the rest stay reachable. */
function fakeClient(version: string): string {
  const bin = tempDir('spine-fake-claude-', '/var/tmp'); // not /tmp: sandbox-writes-path
  writeFileSync(join(bin, 'claude'), `#!/bin/sh\necho "${version} (Claude Code)"\n`);
  chmodSync(join(bin, 'claude'), 0o755);
  return `${bin}:/usr/local/bin:/usr/bin:/bin`;
}

async function doctorOn(repo: string, path: string, ...args: string[]) {
  const json = await runCli(['doctor', '--offline', '--json', ...args], { cwd: repo, env: { PATH: path } });
  const report = JSON.parse(json.stdout) as { findings: JsonFinding[]; machine: any };
  return { code: json.code, report, codes: report.findings.map((f) => f.code) };
}

describe('the machine line names the client', () => {
  it('reads the version from a claude on PATH and prints it beside the sandbox readiness', async () => {
    const repo = onboarded();
    const path = fakeClient('2.1.332');
    const human = await runCli(['doctor', '--offline'], { cwd: repo, env: { PATH: path } });
    expect(human.code, human.stdout + human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^machine: OS sandbox .*; client: Claude Code 2\.1\.332$/m);
    const { report } = await doctorOn(repo, path);
    expect(report.machine.client).toMatchObject({ found: true, version: '2.1.332', versionFrom: 'run' });
  });

  it('says when no claude is on PATH', async () => {
    const repo = onboarded();
    const human = await runCli(['doctor', '--offline'], {
      cwd: repo,
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    });
    expect(human.stdout).toMatch(/; client: claude not found on PATH$/m);
  });

  it('a client older than the oldest supported: says so and which guarantees do not hold', async () => {
    const repo = onboarded();
    const old = await runCli(['doctor', '--offline'], { cwd: repo, env: { PATH: fakeClient('2.1.150') } });
    // The machine, not the repo: it does not fail doctor.
    expect(old.code).toBe(0);
    expect(old.stdout).toMatch(
      /client: Claude Code 2\.1\.150, older than the oldest spine supports \(2\.1\.197\)/,
    );
    expect(old.stdout).toMatch(/not guaranteed here: every tool call audited once/);
    expect(old.stdout).toMatch(/secret variables hidden from sandboxed commands/);
    const recent = await runCli(['doctor', '--offline'], { cwd: repo, env: { PATH: fakeClient('2.1.190') } });
    expect(recent.stdout).toMatch(/older than the oldest/);
    expect(recent.stdout).not.toMatch(/secret variables hidden/);
  });

  it.each([
    ['oldest', '2.1.197'],
    ['newest', '2.1.332'],
  ] as const)('the real %s client: its version from the package beside the binary', async (name, version) => {
    const repo = onboarded();
    // As npm installs it: a `claude` link in a bin directory to the package's binary.
    const bin = tempDir('spine-real-claude-');
    symlinkSync(CLIENTS[name], join(bin, 'claude'));
    const { report } = await doctorOn(repo, `${bin}:/usr/local/bin:/usr/bin:/bin`);
    expect(report.machine.client).toMatchObject({ found: true, version, versionFrom: 'package' });
  });
});

describe('telemetry variables in project settings', () => {
  const withTelemetry = () =>
    onboardTeam(telemetrySpine(OTEL_EXAMPLE), 'payments', { 'README.md': '# x\n' }, 'alice');

  it('are a warning where the client ignores them, with the fix; not where it honours them', async () => {
    const repo = await withTelemetry();
    const newest = await doctorOn(repo, fakeClient('2.1.332'));
    expect(newest.code).toBe(0);
    const finding = newest.report.findings.find((f) => f.code === 'telemetry-env-ignored');
    expect(finding).toMatchObject({ severity: 'warning', path: SETTINGS });
    expect(finding?.message).toContain('CLAUDE_CODE_ENABLE_TELEMETRY');
    expect(finding?.fix).toContain('spine export managed-settings');
    // Removing them would cost spine's own records their repo and team.
    expect(finding?.fix).toContain('keep the entries here');
    expect(finding?.line).toBeGreaterThan(0);
    expect((await doctorOn(repo, fakeClient('2.1.332'), '--strict')).code).toBe(1);

    const oldest = await doctorOn(repo, fakeClient('2.1.197'));
    expect(oldest.codes).not.toContain('telemetry-env-ignored');
    expect(oldest.code).toBe(0);
  });

  it('in the local settings too', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (v) => {
      v.env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    });
    const { report } = await doctorOn(repo, fakeClient('2.1.332'));
    expect(report.findings.filter((f) => f.code === 'telemetry-env-ignored').map((f) => f.path)).toEqual([
      LOCAL_SETTINGS,
    ]);
  });
});

describe('a credential in mask mode in project or local settings', () => {
  const mask = (v: any) => {
    v.sandbox ??= {};
    v.sandbox.credentials = {
      envVars: [{ name: 'GITHUB_TOKEN', mode: 'mask', injectHosts: ['api.github.com'] }],
    };
  };

  it('is an error on the newest client: skipped without a word, the real value visible', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, mask);
    const { code, report, codes } = await doctorOn(repo, fakeClient('2.1.332'));
    expect(code).toBe(1);
    const finding = report.findings.find((f) => f.code === 'credential-mask-in-project');
    expect(finding).toMatchObject({ severity: 'error', path: LOCAL_SETTINGS });
    expect(finding?.message).toMatch(/GITHUB_TOKEN.*skips it here without a word/);
    expect(finding?.line).toBeGreaterThan(0);
    // The newest client keeps the rest of the file.
    expect(codes).not.toContain('settings-dropped');
  });

  it('is an error on the oldest client too, where the whole file is dropped', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, mask);
    const { code, report, codes } = await doctorOn(repo, fakeClient('2.1.197'));
    expect(code).toBe(1);
    expect(report.findings.find((f) => f.code === 'credential-mask-in-project')?.message).toMatch(
      /does not know "mask" and drops this whole file/,
    );
    expect(codes).toContain('settings-dropped');
  });

  it('is an error when the client is unknown', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, mask);
    const { code, codes } = await doctorOn(repo, '/usr/local/bin:/usr/bin:/bin');
    expect(code).toBe(1);
    expect(codes).toContain('credential-mask-in-project');
    expect(codes).not.toContain('settings-dropped');
  });
});

/** `spine doctor --offline --json` on a machine whose managed settings file is `managed`. */
function doctorUnderManaged(repo: string, managed: object, path: string, ...args: string[]) {
  const file = join(tempDir('spine-managed-'), 'managed-settings.json');
  writeFileSync(file, JSON.stringify(managed));
  return new Promise<{ code: number; findings: JsonFinding[]; machine: any }>((resolve) => {
    execFile(
      managedWrapper(file, process.execPath),
      [BIN, 'doctor', '--offline', '--json', ...args],
      { cwd: repo, env: { ...process.env, CI: '1', PATH: path } },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        const json = JSON.parse(stdout);
        resolve({ code, findings: json.findings, machine: json.machine });
      },
    );
  });
}

describe.skipIf(!canMountPrivately())(
  'telemetry variables in project settings, under managed settings',
  () => {
    const withTelemetry = () =>
      onboardTeam(telemetrySpine(OTEL_EXAMPLE), 'payments', { 'README.md': '# x\n' }, 'alice');
    const telemetry = (findings: JsonFinding[]) => findings.filter((f) => f.code === 'telemetry-env-ignored');

    it('managed settings that switch the telemetry on: the finding says it comes from there, not that it is off', async () => {
      const repo = await withTelemetry();
      const managed = {
        env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
      };
      const { code, findings } = await doctorUnderManaged(repo, managed, fakeClient('2.1.332'), '--strict');
      // An info, not a warning: --strict still passes.
      expect(code).toBe(0);
      expect(telemetry(findings)).toEqual([
        expect.objectContaining({
          severity: 'info',
          path: SETTINGS,
          message: expect.stringMatching(
            /switched on by managed settings \(\/etc\/claude-code\/managed-settings\.json\).*ignores the entries here \(.*CLAUDE_CODE_ENABLE_TELEMETRY/,
          ),
          fix: expect.stringContaining('keep the entries here'),
        }),
      ]);
      expect(telemetry(findings)[0]!.message).not.toMatch(/stays off/);
    });

    it.each([
      ['set no telemetry', { env: { SPINE_PLUGIN_HOOKS: 'x' } }],
      ['switch it off', { env: { CLAUDE_CODE_ENABLE_TELEMETRY: '0' } }],
      ['carry no env', { allowManagedPermissionRulesOnly: false }],
    ])('managed settings that %s: still the warning that it stays off', async (_, managed) => {
      const repo = await withTelemetry();
      const { findings } = await doctorUnderManaged(repo, managed, fakeClient('2.1.332'));
      expect(telemetry(findings)).toEqual([
        expect.objectContaining({
          severity: 'warning',
          message: expect.stringMatching(/stays off on this machine/),
        }),
      ]);
    });

    it('on a client that honours project telemetry: no finding, managed or not', async () => {
      const repo = await withTelemetry();
      const { findings } = await doctorUnderManaged(
        repo,
        { env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1' } },
        fakeClient('2.1.197'),
      );
      expect(telemetry(findings)).toEqual([]);
    });
  },
);

describe.skipIf(!canMountPrivately())('which tier holds each guardrail on this machine', () => {
  const onboarded = () =>
    onboardTeam(telemetrySpine(OTEL_EXAMPLE), 'payments', { 'README.md': '# x\n' }, 'alice');
  const counts = (machine: any) => {
    const by = { all: 0, some: 0, none: 0 };
    for (const g of machine.tiers.guardrails) by[g.managed as keyof typeof by]++;
    return by;
  };

  it('with the managed settings spine exports: they hold the guardrails in every directory', async () => {
    const repo = await onboarded();
    const exported = await runCli(['export', 'managed-settings'], { cwd: repo });
    expect(exported.code, exported.stderr).toBe(0);
    const { machine } = await doctorUnderManaged(repo, JSON.parse(exported.stdout), fakeClient('2.1.332'));
    expect(machine.tiers.managedFiles).toEqual(['/etc/claude-code/managed-settings.json']);
    const by = counts(machine);
    // The export carries the spine's locked guardrails; its defaults stay for the team to adjust.
    const locked = Number(/(\d+) locked guardrail\(s\) as managed settings/.exec(exported.stderr)?.[1]);
    expect(locked).toBeGreaterThan(0);
    expect(by.all + by.some).toBe(locked);
    expect(by.all).toBeGreaterThan(by.some);
    expect(machine.tiers.line).toBe(
      `guardrails: managed settings hold ${by.all} of ${machine.tiers.guardrails.length} in every directory${by.some ? ` (${by.some} more in part)` : ''}; the others only in project settings`,
    );
  });

  it('with managed settings that carry one deny rule of the spine: that guardrail in part or whole, the rest on project settings', async () => {
    const repo = await onboarded();
    const lock = JSON.parse(readFileSync(join(repo, '.spine/lock.json'), 'utf8'));
    const rule = lock.settings.find(
      (s: any) => typeof s.key === 'string' && s.key.startsWith('permissions.deny:'),
    );
    expect(rule).toBeDefined();
    const value = rule.key.slice('permissions.deny:'.length);
    const { machine } = await doctorUnderManaged(
      repo,
      { permissions: { deny: [value] } },
      fakeClient('2.1.332'),
    );
    const held = machine.tiers.guardrails.filter((g: any) => g.managed !== 'none');
    expect(held.map((g: any) => g.id)).toEqual([rule.id]);
  });

  it('without managed settings: every guardrail rests on project settings, and doctor says so', async () => {
    const repo = await onboarded();
    const run = await runCli(['doctor', '--offline', '--json'], { cwd: repo });
    const machine = JSON.parse(run.stdout).machine;
    expect(machine.tiers.managedFiles).toEqual([]);
    expect(counts(machine).all + counts(machine).some).toBe(0);
    expect(machine.tiers.line).toMatch(
      /no managed settings here, so every one rests on the project settings/,
    );
    // And the terminal shows it under the machine line.
    const human = await runCli(['doctor', '--offline'], { cwd: repo });
    expect(human.stdout).toContain(machine.tiers.line);
  });
});
