import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  doctor,
  editJson,
  inDays,
  LOCAL_SETTINGS,
  localYaml,
  onboarded,
  onboardOnce,
  SETTINGS,
  without,
} from '../helpers/doctor-repo.js';
import { tempDir, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * doctor knows Claude Code's OS sandbox: each way of weakening it in the team's real settings
 * files is a finding (locked → error, default → warning unless waived), and whether the sandbox
 * can run on this machine is reported apart from drift.
 */
onboardOnce();

describe('spine doctor: the sandbox weakened', () => {
  it.each([
    ['settings.json', SETTINGS],
    ['settings.local.json', LOCAL_SETTINGS],
  ])('the sandbox turned off in %s → sandbox-disabled, error', async (_, file) => {
    const repo = onboarded();
    editJson(repo, file, (s) => {
      s.sandbox = { ...s.sandbox, enabled: false };
    });
    const { code, report } = await doctor(repo);
    const f = report.findings.find((x) => x.code === 'sandbox-disabled');
    expect(f).toMatchObject({
      severity: 'error',
      category: 'sandbox',
      path: file,
      guardrail: 'sandbox-enabled',
    });
    expect(f?.message).toMatch(/sandbox\.enabled is set to false/);
    expect(f?.line).toBeGreaterThan(0);
    expect(code).toBe(1);
  });

  it('allowUnsandboxedCommands turned back on → sandbox-escape-enabled, error; --fix restores it', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.sandbox.allowUnsandboxedCommands = true;
    });
    const { codes } = await doctor(repo);
    expect(codes).toEqual(['error:sandbox-escape-enabled']);
    expect((await doctor(repo, '--fix')).report.findings).toEqual([]);
  });

  it('a spine denyRead path or secret variable removed → sandbox-entry-missing, error; --fix restores both', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.sandbox.filesystem.denyRead = without(s.sandbox.filesystem.denyRead, '**/.env');
      s.sandbox.credentials.envVars = s.sandbox.credentials.envVars.filter(
        (v: { name: string }) => v.name !== 'NPM_TOKEN',
      );
    });
    const { code, report } = await doctor(repo);
    expect(report.findings.map((f) => [f.code, f.severity, f.guardrail])).toEqual([
      ['sandbox-entry-missing', 'error', 'secret-dotenv'],
      ['sandbox-entry-missing', 'error', 'secret-env'],
    ]);
    expect(code).toBe(1);
    const fixed = await doctor(repo, '--fix');
    expect(fixed.report.findings).toEqual([]);
    expect(fixed.code).toBe(0);
  });

  it('a secret variable given a mode the client does not know → the local file is voided, and the entry is missing', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.sandbox.credentials.envVars = s.sandbox.credentials.envVars.filter(
        (v: { name: string }) => v.name !== 'GITHUB_TOKEN',
      );
    });
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.sandbox = { credentials: { envVars: [{ name: 'GITHUB_TOKEN', mode: 'allow' }] } };
    });
    const { report } = await doctor(repo);
    expect(report.findings).toEqual([
      expect.objectContaining({ code: 'sandbox-entry-missing', path: LOCAL_SETTINGS, severity: 'error' }),
      // Claude Code drops the whole file for one wrong value (reference §1.4).
      expect.objectContaining({ code: 'settings-dropped', path: LOCAL_SETTINGS, line: 7 }),
    ]);
  });

  it.each(['python3', 'bash', 'cat', 'node', 'docker compose', 'git:*'])(
    'excludedCommands running %s → sandbox-excluded-reader, error',
    async (command) => {
      const repo = onboarded();
      editJson(repo, LOCAL_SETTINGS, (s) => {
        s.sandbox = { excludedCommands: ['terraform', command] };
      });
      const { code, report } = await doctor(repo);
      expect(report.findings).toEqual([
        expect.objectContaining({ code: 'sandbox-excluded-reader', severity: 'error', path: LOCAL_SETTINGS }),
      ]);
      expect(report.findings[0]?.message).toContain(`"${command}"`);
      expect(code).toBe(1);
    },
  );

  it('a domain allowed locally that the spine denies → sandbox-domain-allowed, error', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.sandbox = { network: { allowedDomains: ['api.internal.example', 'pastebin.com', 'x.ngrok.io'] } };
    });
    const { report } = await doctor(repo);
    expect(report.findings.map((f) => [f.code, f.severity, f.message.split('"')[1]])).toEqual([
      ['sandbox-domain-allowed', 'error', 'pastebin.com'],
      ['sandbox-domain-allowed', 'error', 'x.ngrok.io'],
    ]);
  });

  it('a default sandbox switch changed → warning; with a waiver, info only', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.sandbox.autoAllowBashIfSandboxed = true;
    });
    const { code, codes } = await doctor(repo);
    expect(codes).toEqual(['warning:sandbox-entry-missing']);
    expect(code).toBe(0);
    writeTree(repo, {
      '.spine/local.yaml': localYaml(
        `  - rule: sandbox-keeps-approvals\n    reason: fewer prompts\n    approvedBy: "@bob"\n    expires: ${inDays(30)}\n`,
      ),
    });
    expect((await doctor(repo)).codes).toEqual(['info:waiver-active']);
  });

  it('stricter or wider-by-design local sandbox additions are not findings', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.sandbox = {
        filesystem: { denyRead: ['./private/**'], allowWrite: ['./build'] },
        network: { allowedDomains: ['api.internal.example'], deniedDomains: ['evil.example'] },
        excludedCommands: ['terraform'],
      };
    });
    editJson(repo, SETTINGS, (s) => {
      // Removing an allowRead re-allowance only narrows what sandboxed commands read.
      s.sandbox.filesystem.allowRead = without(s.sandbox.filesystem.allowRead, '**/ca.pem');
    });
    const { code, report } = await doctor(repo, '--strict');
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('machine readiness, apart from drift', () => {
  it('says the sandbox is ready and which layers are live', async () => {
    const repo = onboarded();
    const human = await runCli(['doctor'], { cwd: repo });
    expect(human.stdout).toContain('No drift: every spine guardrail is in force.');
    expect(human.stdout).toMatch(
      /machine: OS sandbox ready \(linux\); layers live here: permission rules \(Read\/Edit\), guard hook, OS sandbox/,
    );
    const { report } = await doctor(repo);
    expect((report as any).machine).toMatchObject({ ready: true, sandboxed: true, missing: [] });
  });

  it('with a PATH without bwrap and socat: not available, the install command, the layers still live', async () => {
    const repo = onboarded();
    // Under /var/tmp: a PATH directory under /tmp is writable from the sandbox (sandbox-writes-path).
    const bin = tempDir('spine-nobwrap-', '/var/tmp');
    mkdirSync(join(bin, 'bin'));
    symlinkSync(process.execPath, join(bin, 'bin', 'node'));
    symlinkSync(execFileSync('which', ['git'], { encoding: 'utf8' }).trim(), join(bin, 'bin', 'git'));
    const path = join(bin, 'bin');
    const human = await runCli(['doctor'], { cwd: repo, env: { PATH: path } });
    // The repo itself is fine: readiness is not drift and does not fail doctor.
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      'No drift: every spine guardrail is in the settings; the OS sandbox cannot run on this machine (see below)',
    );
    expect(human.stdout).not.toContain('in force');
    expect(human.stdout).toMatch(
      /machine: OS sandbox NOT available \(bwrap and socat not on PATH\); install: sudo \S+ .*bubblewrap socat; layers live here: permission rules \(Read\/Edit\), guard hook — Bash commands run unsandboxed/,
    );
    const json = await runCli(['doctor', '--json'], { cwd: repo, env: { PATH: path } });
    expect(JSON.parse(json.stdout).machine).toMatchObject({ ready: false, missing: ['bwrap', 'socat'] });
  });

  it('a bwrap that cannot make a namespace: init and doctor say so with its own message', async () => {
    const bin = tempDir('spine-badbwrap-');
    mkdirSync(join(bin, 'bin'));
    for (const tool of ['node', 'git', 'socat', 'sh']) {
      const found =
        tool === 'node' ? process.execPath : execFileSync('which', [tool], { encoding: 'utf8' }).trim();
      symlinkSync(found, join(bin, 'bin', tool));
    }
    writeTree(bin, {
      'bin/bwrap': '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n',
    });
    execFileSync('chmod', ['+x', join(bin, 'bin', 'bwrap')]);
    const env = { PATH: join(bin, 'bin') };
    const repo = tempDir('spine-init-badbwrap-');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo, env });
    expect(init.code, init.stderr).toBe(0);
    const line =
      /^machine: OS sandbox NOT available \(bwrap cannot create a user namespace \(bwrap: No permissions to create new namespace\)\)/m;
    expect(init.stdout).toMatch(line);
    const doctor = await runCli(['doctor'], { cwd: repo, env });
    expect(doctor.stdout).toMatch(line);
  });

  it('init prints the same line once', async () => {
    const repo = tempDir('spine-init-machine-');
    await runCli(['--version'], { cwd: repo });
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['init', '-q'], { cwd: repo });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code).toBe(0);
    expect(init.stdout.match(/^machine: /gm)).toEqual(['machine: ']);
    expect(init.stdout).toContain('machine: OS sandbox ready');
  });
});
