import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  doctor,
  editJson,
  inDays,
  LOCAL_SETTINGS,
  localYaml,
  onboarded,
  onboardOnce,
  pristineRepo,
  type Report,
  SETTINGS,
  without,
} from '../helpers/doctor-repo.js';
import { git, gitdir, read, snapshot, varTmp, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { releasedSpine } from '../helpers/spine-copy.js';

onboardOnce();

describe('spine doctor --fix', () => {
  it('puts restored entries back where init wrote them: no diff against a fresh init', async () => {
    const repo = onboarded();
    const fresh = read(repo, SETTINGS);
    editJson(repo, SETTINGS, (s) => {
      const first = s.permissions.deny[0];
      const middle = s.permissions.deny[Math.floor(s.permissions.deny.length / 2)];
      s.permissions.deny = without(without(s.permissions.deny, first), middle);
      s.permissions.ask = s.permissions.ask.slice(0, -1);
      s.sandbox.filesystem.denyRead.splice(1, 1);
    });
    expect(read(repo, SETTINGS)).not.toBe(fresh);
    const fixed = await doctor(repo, '--fix');
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(read(repo, SETTINGS)).toBe(fresh);
  });

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
      s.hooks.PostToolUse = [];
      s.hooks.PostToolUse.push({
        matcher: 'Edit',
        hooks: [{ type: 'command', command: 'npm run lint', timeout: 30 }],
      });
    });
    writeFileSync(join(repo, '.claude/skills/review-change/SKILL.md'), 'mine\n');
    rmSync(join(repo, '.claude/agents/change-reviewer.md'));
    writeFileSync(join(repo, '.claude/hooks/spine-policy.json'), '{}\n');
    writeFileSync(join(repo, 'CLAUDE.md'), '# payments\n\nOur notes.\n');
    // Committed drift: git holds the edits, so --fix may replace them.
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'drift');

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
    const fresh = JSON.parse(read(pristineRepo(), SETTINGS));
    const now = JSON.parse(read(repo, SETTINGS));
    expect(now.permissions.allow).toEqual(['Bash(npm test)']);
    expect(now.permissions.deny).toContain('Bash(rm -rf:*)');
    expect(now.permissions.deny).toContain('Read(**/.env)');
    expect(now.permissions.disableBypassPermissionsMode).toBe('disable');
    expect(now.hooks.Stop).toEqual(fresh.hooks.Stop);
    expect(now.hooks.PreToolUse).toEqual(fresh.hooks.PreToolUse);
    expect(now.hooks.PostToolUse).toHaveLength(1);
    expect(read(repo, '.claude/skills/review-change/SKILL.md')).toBe(
      read(pristineRepo(), '.claude/skills/review-change/SKILL.md'),
    );
    expect(read(repo, 'CLAUDE.md').startsWith('# payments\n\nOur notes.\n')).toBe(true);
    expect(read(repo, 'CLAUDE.md')).toContain('<!-- spine:begin -->');

    const again = await doctor(repo, '--strict');
    expect(again.code).toBe(0);
    expect(again.report.findings).toEqual([]);
  });

  it('refuses to replace a managed file with uncommitted changes unless forced, and keeps a backup', async () => {
    const repo = onboarded();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'onboard');
    const skill = '.claude/skills/review-change/SKILL.md';
    writeFileSync(join(repo, skill), 'my uncommitted work\n');
    const before = snapshot(repo);

    const refused = await runCli(['doctor', '--fix'], { cwd: repo });
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')[0]).toMatch(
      new RegExp(`^spine: ${skill}: 1 managed file\\(s\\) --fix would replace have uncommitted changes`),
    );
    expect(snapshot(repo)).toEqual(before);

    const forced = await runCli(['doctor', '--fix', '--force'], { cwd: repo });
    expect(forced.code).toBe(0);
    const kept = /kept in (\.spine\/backup\/[^/\s]+)\//.exec(forced.stderr)?.[1];
    expect(kept).toBeDefined();
    expect(read(repo, `${kept}/${skill}`)).toBe('my uncommitted work\n');
    expect(read(repo, skill)).toBe(read(pristineRepo(), skill));
    expect(git(repo, 'status', '--porcelain', '--', '.spine')).toBe('');
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
    const spine = releasedSpine();
    // Under /var/tmp: a cache under /tmp is writable from the sandbox, which doctor reports (store-writable).
    const env = { XDG_CACHE_HOME: varTmp('spine-cache-') };
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
