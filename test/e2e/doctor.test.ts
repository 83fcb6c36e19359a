import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitdir, read, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';

interface JsonFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  category: string;
  path: string;
  message: string;
  fix: string;
  line?: number;
  guardrail?: string;
}
interface Report {
  schemaVersion: number;
  findings: JsonFinding[];
  summary: { error: number; warning: number; info: number };
  fixed: { path: string; action: string; note: string }[];
}

const SETTINGS = '.claude/settings.json';
const LOCAL_SETTINGS = '.claude/settings.local.json';

let base: string;
beforeAll(async () => {
  base = gitdir({ 'README.md': '# app\n' });
  const init = await runCli(['init', '--team', 'payments', '--champion', '@alice', '--yes'], { cwd: base });
  expect(init.code).toBe(0);
}, 60_000);

/** A copy of the freshly onboarded repo, so each test mutates its own. */
function onboarded(): string {
  const dir = tempDir('spine-doctor-');
  cpSync(base, dir, { recursive: true });
  return dir;
}

function editJson(repo: string, file: string, edit: (value: any) => void): void {
  const path = join(repo, file);
  let value: any = {};
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {}
  edit(value);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function localYaml(waivers: string): string {
  return `team: payments\nchampion: "@alice"\nwaivers:\n${waivers}`;
}

function inDays(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function doctor(repo: string, ...args: string[]) {
  const result = await runCli(['doctor', '--json', ...args], { cwd: repo });
  const report = result.stdout ? (JSON.parse(result.stdout) as Report) : undefined;
  return { ...result, report: report!, codes: report?.findings.map((f) => `${f.severity}:${f.code}`).sort() };
}

const without = (list: string[], item: string) => list.filter((x) => x !== item);

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

  it('all hooks disabled → hooks-disabled, error', async () => {
    const repo = onboarded();
    editJson(repo, LOCAL_SETTINGS, (s) => {
      s.disableAllHooks = true;
    });
    expect((await doctor(repo)).codes).toEqual(['error:hooks-disabled']);
  });

  it('the hook script edited → hook-script-edited, error', async () => {
    const repo = onboarded();
    writeFileSync(join(repo, '.claude/hooks/spine-hook.mjs'), '// nothing to see\n');
    const { code, codes } = await doctor(repo);
    expect(code).toBe(1);
    expect(codes).toEqual(['error:hook-script-edited']);
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

describe('spine doctor --fix', () => {
  it('restores what spine owns, keeps team additions, and a second doctor is clean', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = without(s.permissions.deny, 'Read(**/.env)');
      s.permissions.ask = without(s.permissions.ask, 'Bash(npm publish:*)');
      delete s.permissions.disableBypassPermissionsMode;
      delete s.hooks.Stop;
      s.hooks.PreToolUse[0].hooks[0].timeout = 1;
      s.permissions.deny.push('Bash(rm -rf:*)');
      s.permissions.allow = ['Bash(npm test)'];
      s.hooks.PostToolUse.push({
        matcher: 'Edit',
        hooks: [{ type: 'command', command: 'npm run lint', timeout: 30 }],
      });
    });
    writeFileSync(join(repo, '.claude/skills/review-change/SKILL.md'), 'mine\n');
    rmSync(join(repo, '.claude/agents/change-reviewer.md'));
    writeFileSync(join(repo, '.claude/hooks/spine-policy.json'), '{}\n');
    writeFileSync(join(repo, 'CLAUDE.md'), '# payments\n\nOur notes.\n');

    const fixed = await doctor(repo, '--fix');
    expect(fixed.code).toBe(0);
    expect(fixed.report.findings).toEqual([]);
    expect(fixed.report.fixed.map((f) => f.path).sort()).toEqual([
      '.claude/agents/change-reviewer.md',
      '.claude/hooks/spine-policy.json',
      '.claude/settings.json',
      '.claude/skills/review-change/SKILL.md',
      'CLAUDE.md',
    ]);
    const fresh = JSON.parse(read(base, SETTINGS));
    const now = JSON.parse(read(repo, SETTINGS));
    expect(now.permissions.allow).toEqual(['Bash(npm test)']);
    expect(now.permissions.deny).toContain('Bash(rm -rf:*)');
    expect(now.permissions.deny).toContain('Read(**/.env)');
    expect(now.permissions.disableBypassPermissionsMode).toBe('disable');
    expect(now.hooks.Stop).toEqual(fresh.hooks.Stop);
    expect(now.hooks.PreToolUse).toEqual(fresh.hooks.PreToolUse);
    expect(now.hooks.PostToolUse).toHaveLength(2);
    expect(read(repo, '.claude/skills/review-change/SKILL.md')).toBe(
      read(base, '.claude/skills/review-change/SKILL.md'),
    );
    expect(read(repo, 'CLAUDE.md').startsWith('# payments\n\nOur notes.\n')).toBe(true);
    expect(read(repo, 'CLAUDE.md')).toContain('<!-- spine:begin -->');

    const again = await doctor(repo, '--strict');
    expect(again.code).toBe(0);
    expect(again.report.findings).toEqual([]);
  });

  it('re-adds a deny that was turned into allow but leaves the team’s allow (reported, not removed)', async () => {
    const repo = onboarded();
    const rule = 'Bash(git push -f origin main*)';
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = without(s.permissions.deny, rule);
      s.permissions.allow = [rule];
    });
    const fixed = await doctor(repo, '--fix');
    expect(fixed.codes).toEqual(['warning:allow-shadows-rule']);
    expect(fixed.code).toBe(0);
    const now = JSON.parse(read(repo, SETTINGS));
    expect(now.permissions.deny).toContain(rule);
    expect(now.permissions.allow).toEqual([rule]);
  });

  it('never touches a waivered rule', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.ask = without(s.permissions.ask, 'Bash(git push:*)');
      s.permissions.deny = without(s.permissions.deny, 'Read(**/.env)');
    });
    writeTree(repo, {
      '.spine/local.yaml': localYaml(
        `  - rule: gate-git-push\n    reason: bot\n    approvedBy: "@lead"\n    expires: ${inDays(30)}\n`,
      ),
    });
    const fixed = await doctor(repo, '--fix');
    expect(fixed.codes).toEqual(['info:waiver-active']);
    const now = JSON.parse(read(repo, SETTINGS));
    expect(now.permissions.ask).not.toContain('Bash(git push:*)');
    expect(now.permissions.deny).toContain('Read(**/.env)');
  });

  it('keeps CRLF and tab indentation of settings.json', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = without(s.permissions.deny, 'Read(**/.env)');
    });
    const tabbed = JSON.stringify(JSON.parse(read(repo, SETTINGS)), null, '\t').replace(/\n/g, '\r\n');
    writeFileSync(join(repo, SETTINGS), `${tabbed}\r\n`);
    expect((await doctor(repo, '--fix')).code).toBe(0);
    const text = read(repo, SETTINGS);
    expect(text).toContain('\r\n\t"permissions"');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(JSON.parse(text).permissions.deny).toContain('Read(**/.env)');
  });
});

describe('spine doctor refuses bad input (exit 2, file and line, nothing changed)', () => {
  const cases: { name: string; mutate: (repo: string) => void; expect: RegExp }[] = [
    {
      name: 'settings.json that is not JSON',
      mutate: (r) => writeFileSync(join(r, SETTINGS), '{\n  "permissions": {\n    "deny": [,]\n  }\n}\n'),
      expect: /^spine: \.claude\/settings\.json:3:\d+: invalid JSON/,
    },
    {
      name: 'settings.local.json with a comment',
      mutate: (r) => writeFileSync(join(r, LOCAL_SETTINGS), '{\n  // mine\n}\n'),
      expect: /^spine: \.claude\/settings\.local\.json:2:\d+: invalid JSON/,
    },
    {
      name: 'a lock that is not JSON',
      mutate: (r) => writeFileSync(join(r, '.spine/lock.json'), '{"lockVersion": 1,\n'),
      expect: /^spine: \.spine\/lock\.json:\d+:\d+: the lock is not valid JSON/,
    },
    {
      name: 'a lock of an unknown version',
      mutate: (r) =>
        editJson(r, '.spine/lock.json', (l) => {
          l.lockVersion = 2;
        }),
      expect: /^spine: \.spine\/lock\.json:2:\d+: invalid lock/,
    },
    {
      name: 'a lock whose managed path leaves .claude/',
      mutate: (r) =>
        editJson(r, '.spine/lock.json', (l) => {
          l.files['../../etc/passwd'] = Object.values(l.files)[0];
        }),
      expect: /^spine: \.spine\/lock\.json: invalid lock: managed path/,
    },
    {
      name: 'an invalid local.yaml',
      mutate: (r) => writeFileSync(join(r, '.spine/local.yaml'), 'waivers:\n  - rule: x\n'),
      expect: /^spine: \.spine\/local\.yaml:2:\d+: /,
    },
    {
      name: 'no lock (not onboarded)',
      mutate: (r) => rmSync(join(r, '.spine/lock.json')),
      expect: /not onboarded/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const repo = onboarded();
      c.mutate(repo);
      const before = snapshot(repo);
      const result = await runCli(['doctor', '--fix'], { cwd: repo });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(c.expect);
      expect(result.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(3);
      expect(result.stdout).toBe('');
      expect(snapshot(repo)).toEqual(before);
    });
  }
});

describe('spine doctor --sarif', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../fixtures/sarif-2.1.0.schema.json', import.meta.url), 'utf8'),
  );
  const compile = () => new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

  it('writes SARIF 2.1.0 that validates against the schema, one result per finding', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = without(s.permissions.deny, 'Read(**/.env)');
      s.permissions.allow = ['Bash(*)'];
    });
    writeFileSync(join(repo, '.claude/skills/review-change/SKILL.md'), 'edited\n');

    const result = await runCli(['doctor', '--json', '--sarif', 'out/doctor.sarif'], { cwd: repo });
    expect(result.code).toBe(1);
    const sarif = JSON.parse(read(repo, 'out/doctor.sarif'));
    const validate = compile();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);

    const report = JSON.parse(result.stdout) as Report;
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('spine');
    expect(run.results).toHaveLength(report.findings.length);
    const missing = run.results.find((r: { ruleId: string }) => r.ruleId === 'locked-rule-missing');
    expect(missing.level).toBe('error');
    expect(missing.locations[0].physicalLocation.artifactLocation.uri).toBe(SETTINGS);
    expect(missing.locations[0].physicalLocation.region.startLine).toBeGreaterThan(1);
    expect(run.tool.driver.rules[missing.ruleIndex].id).toBe('locked-rule-missing');
    expect(run.results.map((r: { level: string }) => r.level).sort()).toEqual(['error', 'error', 'warning']);
  });

  it('the schema rejects what is not SARIF (so the test above can fail)', () => {
    const validate = compile();
    const bad = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'fatal' }] }],
    };
    expect(validate(bad)).toBe(false);
  });
});

describe('spine doctor against a git spine', () => {
  it('newer release → update-available (info, not with --offline); tag moved, commit gone → errors', async () => {
    const spine = gitdir();
    cpSync(EMBEDDED_SPINE, spine, { recursive: true });
    git(spine, 'add', '-A');
    git(spine, 'commit', '-qm', 'v1.0.0');
    git(spine, 'tag', 'v1.0.0');
    const env = { XDG_CACHE_HOME: tempDir('spine-cache-') };
    const repo = gitdir({ 'README.md': '# app\n' });
    const args = ['init', '--spine', spine, '--ref', 'v1.0.0', '--team', 't', '--champion', 'c', '--yes'];
    expect((await runCli(args, { cwd: repo, env })).code).toBe(0);
    const run = async (...extra: string[]) => {
      const result = await runCli(['doctor', '--json', ...extra], { cwd: repo, env });
      return {
        code: result.code,
        codes: (JSON.parse(result.stdout) as Report).findings.map((f) => f.code).sort(),
      };
    };
    expect(await run()).toEqual({ code: 0, codes: [] });

    writeFileSync(
      join(spine, 'spine.yaml'),
      read(spine, 'spine.yaml').replace('version: 1.0.0', 'version: 1.1.0'),
    );
    git(spine, 'commit', '-qam', 'v1.1.0');
    git(spine, 'tag', 'v1.1.0');
    expect(await run()).toEqual({ code: 0, codes: ['update-available'] });
    expect(await run('--offline')).toEqual({ code: 0, codes: [] });

    git(spine, 'tag', '-f', 'v1.0.0', 'v1.1.0');
    expect(await run()).toEqual({ code: 1, codes: ['tag-moved', 'update-available'] });

    // History rewritten: the locked commit is gone for good.
    git(spine, 'checkout', '-q', '--orphan', 'rewritten');
    git(spine, 'commit', '-qm', 'rewritten');
    git(spine, 'branch', '-D', 'main');
    git(spine, 'tag', '-f', 'v1.0.0');
    git(spine, 'tag', '-f', 'v1.1.0');
    git(spine, 'reflog', 'expire', '--expire=now', '--all');
    git(spine, 'gc', '-q', '--prune=now');
    const gone = await run();
    expect(gone.code).toBe(1);
    expect(gone.codes).toContain('lock-commit-missing');
  });
});
