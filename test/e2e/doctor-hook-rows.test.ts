import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  doctor,
  editJson,
  LOCAL_SETTINGS,
  onboarded,
  onboardOnce,
  SETTINGS,
} from '../helpers/doctor-repo.js';
import { runCli } from '../helpers/run-cli.js';

onboardOnce();

// PRODUCT §6 rows about spine's hook: its wiring in the settings and its script files.
describe('spine doctor: PRODUCT §6 rows, the hook', () => {
  it('a spine hook removed → hook-missing, error (audit is locked)', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      delete s.hooks.Stop;
    });
    const { code, codes, report } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:hook-missing']);
    expect(report.findings[0]!.guardrail).toBe('audit-log');
  });

  it('a spine hook changed → hook-edited, error', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.hooks.PreToolUse[0].hooks[0].command += ' || true';
    });
    expect((await doctor(repo)).codes).toEqual(['error:hook-edited']);
  });

  it('the older all-synchronous hook wiring → hook-edited, warning; --fix moves it to the async wiring', async () => {
    const repo = onboarded();
    const before = JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8'));
    editJson(repo, SETTINGS, (s) => {
      for (const groups of Object.values(s.hooks) as any[]) {
        for (const g of groups) for (const h of g.hooks) delete h.async;
      }
    });
    const { code, codes, report } = await doctor(repo);
    expect(code).toBe(0);
    // The one async audit-only event: SessionStart.
    expect(codes).toEqual(['warning:hook-edited']);
    expect(report.findings[0]!.message).toContain('older wiring');
    const fix = await runCli(['doctor', '--fix'], { cwd: repo });
    expect(fix.code, fix.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8')).hooks).toEqual(before.hooks);
    expect((await doctor(repo)).codes).toEqual([]);
  });

  it('the older hook command line (loading the CA bundle) → hook-edited, warning; --fix restores it', async () => {
    const repo = onboarded();
    const before = JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8'));
    editJson(repo, SETTINGS, (s) => {
      for (const groups of Object.values(s.hooks) as any[]) {
        for (const g of groups)
          for (const h of g.hooks)
            h.command = h.command.replace(
              'SPINE_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS= node',
              'node',
            );
      }
    });
    const { code, codes, report } = await doctor(repo);
    expect(code).toBe(0);
    // Every spine event: SessionStart, PreToolUse, PreSkillShellCommand, Stop, SessionEnd.
    expect(codes).toEqual(Array(5).fill('warning:hook-edited'));
    expect(report.findings.map((f: any) => f.message).join('\n')).toContain('NODE_EXTRA_CA_CERTS');
    const fix = await runCli(['doctor', '--fix'], { cwd: repo });
    expect(fix.code, fix.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(repo, SETTINGS), 'utf8')).hooks).toEqual(before.hooks);
    expect((await doctor(repo)).codes).toEqual([]);
  });

  it('all hooks disabled → hooks-disabled, error', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.disableAllHooks = true;
    });
    expect((await doctor(repo)).codes).toEqual(['error:hooks-disabled']);
  });

  it('the hook script edited → hook-script-edited, error', async () => {
    const repo = onboarded();
    writeFileSync(join(repo, '.claude/hooks/spine-hook.cjs'), '// nothing to see\n');
    const { code, codes } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:hook-script-edited']);
  });

  it("the hook's other files missing → hook-script-edited, error; --fix writes them back", async () => {
    for (const file of ['.claude/hooks/spine-hook-guard.cjs', '.claude/hooks/spine-hook-session.cjs']) {
      const repo = onboarded();
      const built = readFileSync(join(repo, file));
      rmSync(join(repo, file));
      const { code, codes, report } = await doctor(repo);
      expect(code, file).toBe(1);
      expect(codes, file).toEqual(['error:hook-script-edited']);
      expect(report.findings[0]!.path).toBe(file);
      const fix = await runCli(['doctor', '--fix'], { cwd: repo });
      expect(fix.code, fix.stderr).toBe(0);
      expect(readFileSync(join(repo, file))).toEqual(built);
      expect((await doctor(repo)).codes).toEqual([]);
    }
  });
});
