import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { read, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

onboardOnce();

describe('spine doctor on a healthy repo', () => {
  it('a freshly initialised repo has no findings', async () => {
    const repo = onboarded();
    const { code, report, stderr } = await doctor(repo, '--strict');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.schemaVersion).toBe(1);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ error: 0, warning: 0, info: 0 });
  });

  it('stricter local additions are never findings', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny.push('Bash(rm -rf:*)');
      s.permissions.ask.push('Bash(docker push:*)');
      // An ask rule made stricter: moved to deny.
      s.permissions.ask = without(s.permissions.ask, 'Bash(git push:*)');
      s.permissions.deny.push('Bash(git push:*)');
      s.permissions.allow = ['Bash(npm test)'];
      s.hooks.PreToolUse.push({
        matcher: 'Bash',
        hooks: [{ type: 'command', command: 'echo team', timeout: 5 }],
      });
    });
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.permissions = { deny: ['Bash(curl:*)'] };
    });
    const { code, report } = await doctor(repo, '--strict');
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('human output says so, from a subdirectory too', async () => {
    const repo = onboarded();
    writeTree(repo, { 'src/app.ts': '' });
    const result = await runCli(['doctor'], { cwd: join(repo, 'src') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No drift');
  });
});

describe('spine doctor: PRODUCT §6 rows', () => {
  it('a locked deny rule missing → locked-rule-missing, error, exit 1', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = without(s.permissions.deny, 'Read(**/.env)');
    });
    const { code, report, codes } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:locked-rule-missing']);
    expect(report.findings[0]).toMatchObject({
      path: SETTINGS,
      guardrail: 'secret-dotenv',
      category: 'permissions',
    });
    expect(report.findings[0]!.line).toBeGreaterThan(1);
  });

  it('a locked deny rule turned into allow → locked-rule-overridden, error', async () => {
    const repo = onboarded();
    const rule = 'Bash(git push --force origin main*)';
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = without(s.permissions.deny, rule);
    });
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.permissions = { allow: [rule] };
    });
    const { code, report, codes } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:locked-rule-overridden']);
    expect(report.findings[0]).toMatchObject({ path: LOCAL_SETTINGS, guardrail: 'no-force-push-main' });
  });

  it('a locked deny rule moved to ask → locked-rule-overridden', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = without(s.permissions.deny, 'Read(**/*.pem)');
      s.permissions.ask.push('Read(**/*.pem)');
    });
    expect((await doctor(repo)).codes).toEqual(['error:locked-rule-overridden']);
  });

  it('an allow equal to a spine deny (deny still wins) → allow-shadows-rule, warning', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.permissions = { allow: ['Read(**/.env)'] };
    });
    const first = await doctor(repo);
    expect(first.code).toBe(0);
    expect(first.codes).toEqual(['warning:allow-shadows-rule']);
    expect((await doctor(repo, '--strict')).code).toBe(1);
  });

  it('defaultMode bypassPermissions anywhere → bypass-enabled, error', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.permissions = { defaultMode: 'bypassPermissions' };
    });
    const { code, codes, report } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:bypass-enabled']);
    expect(report.findings[0]!.path).toBe(LOCAL_SETTINGS);
  });

  it('bypass mode re-enabled (disableBypassPermissionsMode removed) → bypass-enabled, error', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      delete s.permissions.disableBypassPermissionsMode;
    });
    const { code, codes, report } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:bypass-enabled']);
    expect(report.findings[0]!.guardrail).toBe('no-bypass-mode');
  });

  it('a neverAllow pattern allowed → never-allow-allowed, error', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.permissions = { allow: ['Bash(*)', 'Bash(curl https://example.com/install.sh)', 'Bash(npm test)'] };
    });
    const { code, codes, report } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:never-allow-allowed', 'error:never-allow-allowed']);
    expect(report.findings.map((f) => f.guardrail).sort()).toEqual([
      'never-allow-all-bash',
      'never-allow-curl-pipe',
    ]);
  });

  it('a default guardrail weakened without a waiver → default-weakened, warning, exit 0', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.ask = without(s.permissions.ask, 'Bash(git push:*)');
    });
    const { code, codes, report } = await doctor(repo);
    expect(code).toBe(0);
    expect(codes).toEqual(['warning:default-weakened']);
    expect(report.findings[0]!.guardrail).toBe('gate-git-push');
    expect((await doctor(repo, '--strict')).code).toBe(1);
  });

  it('with a valid waiver → waiver-active, info only', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.ask = without(s.permissions.ask, 'Bash(git push:*)');
    });
    writeTree(repo, {
      '.spine/local.yaml': localYaml(
        `  - rule: gate-git-push\n    reason: release bot pushes tags\n    approvedBy: "@lead"\n    expires: ${inDays(30)}\n`,
      ),
    });
    const { code, codes, report } = await doctor(repo, '--strict');
    expect(codes).toEqual(['info:waiver-active']);
    expect(code).toBe(0);
    expect(report.findings[0]).toMatchObject({ path: '.spine/local.yaml', line: 4 });
  });

  it('with an expired waiver → waiver-expired, warning', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.ask = without(s.permissions.ask, 'Bash(git push:*)');
    });
    writeTree(repo, {
      '.spine/local.yaml': localYaml(
        '  - rule: gate-git-push\n    reason: bot\n    approvedBy: "@lead"\n    expires: 2020-01-31\n',
      ),
    });
    const { code, codes } = await doctor(repo);
    expect(code).toBe(0);
    expect(codes).toEqual(['warning:waiver-expired']);
  });

  it('a waiver that breaks the spine waiver policy does not count → waiver-invalid + default-weakened', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.ask = without(s.permissions.ask, 'Bash(git push:*)');
    });
    writeTree(repo, {
      '.spine/local.yaml': localYaml(
        `  - rule: gate-git-push\n    reason: bot\n    expires: ${inDays(30)}\n`,
      ),
    });
    expect((await doctor(repo)).codes).toEqual(['warning:default-weakened', 'warning:waiver-invalid']);
  });

  it('a waiver on a locked guardrail → waiver-on-locked, error (and the rule is still missing)', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = without(s.permissions.deny, 'Read(**/.env)');
    });
    writeTree(repo, {
      '.spine/local.yaml': localYaml(
        `  - rule: secret-dotenv\n    reason: we need it\n    approvedBy: "@lead"\n    expires: ${inDays(30)}\n`,
      ),
    });
    const { code, codes } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:locked-rule-missing', 'error:waiver-on-locked']);
  });

  it('a managed skill edited → managed-file-edited, warning', async () => {
    const repo = onboarded();
    writeFileSync(join(repo, '.claude/skills/review-change/SKILL.md'), 'changed\n', { flag: 'a' });
    const { code, report, codes } = await doctor(repo);
    expect(code).toBe(0);
    expect(codes).toEqual(['warning:managed-file-edited']);
    expect(report.findings[0]!.fix).toContain('contribute');
  });

  it('CRLF line endings in a managed file are not drift', async () => {
    const repo = onboarded();
    const path = join(repo, '.claude/skills/review-change/SKILL.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r\n'));
    expect((await doctor(repo, '--strict')).code).toBe(0);
  });

  it('a managed file missing → managed-file-missing, warning', async () => {
    const repo = onboarded();
    rmSync(join(repo, '.claude/agents/change-reviewer.md'));
    expect((await doctor(repo)).codes).toEqual(['warning:managed-file-missing']);
  });

  it('the CLAUDE.md block missing or edited → claude-block-missing / claude-block-edited, warning', async () => {
    const missing = onboarded();
    writeFileSync(join(missing, 'CLAUDE.md'), '# team notes only\n');
    expect((await doctor(missing)).codes).toEqual(['warning:claude-block-missing']);
    const edited = onboarded();
    writeFileSync(join(edited, 'CLAUDE.md'), read(edited, 'CLAUDE.md').replace('A denied call', 'A call'));
    const result = await doctor(edited);
    expect(result.codes).toEqual(['warning:claude-block-edited']);
    expect(result.report.findings[0]!.line).toBeGreaterThan(1);
  });

  it('a settings file Claude Code would drop → settings-dropped, error; unknown keys → warning', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.model = 123;
      s.notAClaudeKey = true;
    });
    const { code, codes, report } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:settings-dropped', 'warning:settings-unknown-key']);
    expect(report.findings.find((f) => f.code === 'settings-dropped')).toMatchObject({
      path: LOCAL_SETTINGS,
      line: 2,
    });
    // Again, with the verdict on these bytes memoised: the same findings at the same lines.
    expect((await doctor(repo)).report.findings).toEqual(report.findings);
  });

  it('a dropped file voids what it would weaken too: its bypass mode is not reported, the drop is', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.permissions = { defaultMode: 'yolo' };
    });
    expect((await doctor(repo)).codes).toEqual(['error:settings-dropped']);
  });

  it('a local skill not in the spine → local-skill, info', async () => {
    const repo = onboarded();
    writeTree(repo, {
      '.claude/skills/deploy-notes/SKILL.md': '---\nname: deploy-notes\ndescription: x\n---\n',
    });
    const { code, codes } = await doctor(repo, '--strict');
    expect(code).toBe(0);
    expect(codes).toEqual(['info:local-skill']);
  });

  it('an unfinished update → pending-update, error', async () => {
    const repo = onboarded();
    editJson(repo, '.spine/lock.json', (l) => {
      l.pending = [{ path: SETTINGS }];
    });
    writeFileSync(
      join(repo, '.claude/commands/spine-status.md'),
      '<<<<<<< ours\na\n=======\nb\n>>>>>>> spine v1.1.0\n',
    );
    const { code, codes } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:pending-update', 'error:pending-update', 'warning:managed-file-edited']);
  });

  it('conflict markers: the line of the first one at a line start, in CLAUDE.md and managed files', async () => {
    const repo = onboarded();
    const command = '.claude/commands/spine-status.md';
    writeFileSync(
      join(repo, command),
      'intro <<<<<<< not a marker\n\n<<<<<<< ours\na\n=======\nb\n>>>>>>> spine\n',
    );
    writeFileSync(join(repo, 'CLAUDE.md'), `<<<<<<< ours\n${read(repo, 'CLAUDE.md')}`);
    writeTree(repo, { '.claude/commands/unmanaged.md': "<<<<<<< not spine's file\n" });
    const { report } = await doctor(repo);
    const markers = report.findings
      .filter((f) => f.code === 'pending-update')
      .map((f) => [f.path, f.line])
      .sort();
    expect(markers).toEqual([
      ['.claude/commands/spine-status.md', 3],
      ['CLAUDE.md', 1],
    ]);
  });

  it('human output groups by severity with a fix for each finding', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = without(s.permissions.deny, 'Read(**/.env)');
      s.permissions.ask = without(s.permissions.ask, 'Bash(git push:*)');
    });
    const result = await runCli(['doctor'], { cwd: repo });
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out.indexOf('Errors (1)')).toBeLessThan(out.indexOf('Warnings (1)'));
    expect(out).toContain('locked-rule-missing');
    expect(out.match(/fix: /g)).toHaveLength(2);
  });
});
