import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir, read, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';

const TEAM = ['--team', 'payments', '--champion', '@alice', '--yes'];

describe('spine init on a fresh repo', () => {
  it('writes every file of the team repo layout and a lock', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const result = await runCli(['init', ...TEAM], { cwd: repo });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const path of [
      '.claude/settings.json',
      '.claude/skills/review-change/SKILL.md',
      '.claude/skills/review-change/checklist.md',
      '.claude/agents/change-reviewer.md',
      '.claude/commands/spine-status.md',
      '.claude/hooks/spine-hook.cjs',
      '.claude/hooks/spine-hook-guard.cjs',
      '.claude/hooks/spine-hook-session.cjs',
      '.claude/hooks/spine-policy.json',
      '.claude/spine/GLOSSARY.md',
      'CLAUDE.md',
      '.spine/local.yaml',
      '.spine/lock.json',
      '.gitignore',
    ]) {
      expect(existsSync(join(repo, path)), path).toBe(true);
    }
    const settings = JSON.parse(read(repo, '.claude/settings.json'));
    expect(settings.permissions.deny).toContain('Read(**/.env)');
    expect(settings.permissions.deny).toContain('Edit(**/.env)');
    expect(settings.permissions.ask).toContain('Bash(git push:*)');
    expect(settings.permissions.disableBypassPermissionsMode).toBe('disable');
    // Finished calls, prompts and subagents are read from the transcript at Stop and SessionEnd:
    // no hook process for each.
    // A skill's `!` shell line is guarded like a Bash call (PreSkillShellCommand, newer clients).
    expect(Object.keys(settings.hooks).sort()).toEqual([
      'PreSkillShellCommand',
      'PreToolUse',
      'SessionEnd',
      'SessionStart',
      'Stop',
    ]);
    // The secret policy, compiled into Claude Code's OS sandbox as well.
    expect(settings.sandbox).toMatchObject({ enabled: true, allowUnsandboxedCommands: false });
    expect(settings.sandbox.filesystem.denyRead).toEqual(expect.arrayContaining(['**/.env', '~/.ssh/**']));
    expect(settings.sandbox.filesystem.allowRead).toContain('**/.env.example');
    expect(settings.sandbox.credentials.envVars).toContainEqual({ name: 'GITHUB_TOKEN', mode: 'deny' });
    expect(settings.sandbox.network.allowedDomains).toContain('registry.npmjs.org');
    expect(settings.sandbox.network.deniedDomains).toContain('pastebin.com');
    expect(read(repo, 'CLAUDE.md')).toContain('<!-- spine:begin -->\n');
    expect(read(repo, 'CLAUDE.md')).toContain('@.claude/spine/GLOSSARY.md');
    expect(read(repo, '.spine/local.yaml')).toContain('team: "payments"');
    expect(read(repo, '.gitignore')).toContain('.spine/audit/');
    // Each file named once, by what it is: never the kind twice ("(hook hook)").
    expect(result.stdout).toMatch(/\.claude\/hooks\/spine-hook\.cjs {2}\(guard hook\)$/m);
    expect(result.stdout).toMatch(/\.claude\/hooks\/spine-policy\.json {2}\(hook policy\)$/m);
    expect(result.stdout).toMatch(/GLOSSARY\.md {2}\(glossary\)$/m);
    expect(result.stdout).toMatch(/review-change\/SKILL\.md {2}\(skill review-change\)$/m);
    expect(result.stdout).not.toMatch(/\((\w+) \1\)/);

    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    expect(lock.spine).toEqual({ name: 'default-spine', version: '1.0.0' });
    expect(lock.source.spec).toBe('embedded');
    expect(lock.files['.claude/skills/review-change/SKILL.md'].hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const dotenv = lock.settings.find((e: { key: string }) => e.key === 'permissions.deny:Read(**/.env)');
    expect(dotenv).toMatchObject({
      id: 'secret-dotenv',
      level: 'locked',
      owner: 'spine',
      value: 'Read(**/.env)',
    });
  });

  it('changes nothing the second time', async () => {
    const repo = gitdir();
    expect((await runCli(['init', ...TEAM], { cwd: repo })).code).toBe(0);
    const before = snapshot(repo);
    const second = await runCli(['init', ...TEAM, '--json'], { cwd: repo });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).changes).toEqual([]);
    expect(snapshot(repo)).toEqual(before);
  });

  it('dry run prints the plan and writes nothing', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const before = snapshot(repo);
    const result = await runCli(['init', ...TEAM, '--dry-run'], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('dry run');
    expect(result.stdout).toContain('.claude/settings.json');
    expect(snapshot(repo)).toEqual(before);
  });

  it('--json prints one document with every change', async () => {
    const repo = gitdir();
    const result = await runCli(['init', ...TEAM, '--json'], { cwd: repo });
    const doc = JSON.parse(result.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.changes.map((c: { path: string }) => c.path)).toContain('.spine/lock.json');
    expect(doc.team).toBe('payments');
  });
});

describe('spine init keeps what the team already has', () => {
  const existingSettings = [
    '{',
    '    "model": "sonnet",',
    '    "permissions": {',
    '        "allow": ["Bash(npm test)"],',
    '        "deny": ["Read(./.env)", "Bash(rm -rf:*)"]',
    '    },',
    '    "hooks": {',
    '        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./lint.sh"}]}]',
    '    },',
    '    "env": {"TEAM_FLAG": "1"},',
    '    "someFutureKey": {"x": 1}',
    '}',
    '',
  ].join('\n');

  it('merges rules and hook entries into existing settings, keeping order, indent and unknown keys', async () => {
    const repo = gitdir({
      '.claude/settings.json': existingSettings,
      'CLAUDE.md': '# Team notes\n\nUse pnpm.',
      '.claude/skills/team-skill/SKILL.md':
        '---\nname: team-skill\ndescription: Our own skill. Use for team things.\n---\nbody\n',
    });
    const result = await runCli(['init', ...TEAM], { cwd: repo });
    expect(result.code).toBe(0);
    const text = read(repo, '.claude/settings.json');
    const settings = JSON.parse(text);
    expect(Object.keys(settings)).toEqual([
      'model',
      'permissions',
      'hooks',
      'env',
      'someFutureKey',
      'sandbox',
    ]);
    expect(text).toContain('\n    "model": "sonnet"');
    expect(settings.permissions.allow).toEqual(['Bash(npm test)']);
    expect(settings.permissions.deny.slice(0, 2)).toEqual(['Read(./.env)', 'Bash(rm -rf:*)']);
    expect(settings.permissions.deny).toContain('Read(**/.env)');
    expect(settings.hooks.PreToolUse[0].hooks[0].command).toBe('./lint.sh');
    expect(settings.hooks.PreToolUse).toHaveLength(2);
    expect(settings.env).toEqual({ TEAM_FLAG: '1' });
    expect(settings.someFutureKey).toEqual({ x: 1 });
    expect(read(repo, 'CLAUDE.md').startsWith('# Team notes\n\nUse pnpm.\n\n<!-- spine:begin -->')).toBe(
      true,
    );
    expect(read(repo, '.claude/skills/team-skill/SKILL.md')).toContain('Our own skill');
  });

  it('records entries the team already had as the team’s', async () => {
    const repo = gitdir({ '.claude/settings.json': '{"permissions": {"deny": ["Read(**/.env)"]}}\n' });
    await runCli(['init', ...TEAM], { cwd: repo });
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    const entry = lock.settings.find((e: { key: string }) => e.key === 'permissions.deny:Read(**/.env)');
    expect(entry.owner).toBe('team');
    const settings = JSON.parse(read(repo, '.claude/settings.json'));
    expect(settings.permissions.deny.filter((r: string) => r === 'Read(**/.env)')).toHaveLength(1);
  });

  it('keeps CRLF line endings of existing files', async () => {
    const repo = gitdir({
      '.claude/settings.json': '{\r\n  "permissions": {\r\n    "deny": []\r\n  }\r\n}\r\n',
      'CLAUDE.md': '# Notes\r\n',
    });
    expect((await runCli(['init', ...TEAM], { cwd: repo })).code).toBe(0);
    const settings = read(repo, '.claude/settings.json');
    expect(settings.replace(/\r\n/g, '')).not.toContain('\n');
    expect(read(repo, 'CLAUDE.md').replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('refuses to clobber a file at a managed path', async () => {
    const repo = gitdir({
      '.claude/skills/review-change/SKILL.md': '---\nname: review-change\ndescription: ours\n---\n',
    });
    const before = snapshot(repo);
    const result = await runCli(['init', ...TEAM], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.claude/skills/review-change/SKILL.md');
    expect(snapshot(repo)).toEqual(before);
  });
});

describe('spine init refuses bad input, changing nothing', () => {
  const cases: {
    name: string;
    files: Record<string, string>;
    spine?: Record<string, string>;
    expect: RegExp;
  }[] = [
    {
      name: 'settings.json that is not JSON',
      files: { '.claude/settings.json': '{\n  "permissions": {\n    "deny": [\n  }\n' },
      expect: /^spine: \.claude\/settings\.json:4:3: invalid JSON/m,
    },
    {
      name: 'settings.json Claude Code would drop (wrong enum)',
      files: { '.claude/settings.json': '{\n  "permissions": {\n    "defaultMode": "yolo"\n  }\n}\n' },
      expect:
        /^spine: \.claude\/settings\.json:3:20: permissions\.defaultMode: must be one of .*ignore this whole file/m,
    },
    {
      name: 'settings.json Claude Code would drop (wrong type)',
      files: { '.claude/settings.json': '{\n  "model": 123\n}\n' },
      expect: /^spine: \.claude\/settings\.json:2:12: model: must be string/m,
    },
    {
      name: 'malformed local.yaml',
      files: { '.spine/local.yaml': 'team: [unclosed\n' },
      expect: /^spine: \.spine\/local\.yaml:\d+:\d+: /m,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const repo = gitdir(c.files);
      const before = snapshot(repo);
      const result = await runCli(['init', ...TEAM], { cwd: repo });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(c.expect);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(snapshot(repo)).toEqual(before);
    });
  }

  const spineCases: { name: string; mutate: (dir: string) => void; expect: RegExp }[] = [
    {
      name: 'malformed YAML in a spine file',
      mutate: (dir) =>
        writeTree(dir, { 'guardrails/permissions.yaml': 'deny:\n  - id: x\n    rule: [oops\n' }),
      expect: /guardrails\/permissions\.yaml:\d+:\d+: /,
    },
    {
      name: 'a schema violation',
      mutate: (dir) =>
        writeTree(dir, {
          'guardrails/permissions.yaml':
            'deny:\n  - id: no-x\n    rule: Bash(x)\n    level: strict\n    why: w\n',
        }),
      expect: /guardrails\/permissions\.yaml:4:12: deny\[0\]\.level: must be one of locked, default/,
    },
    {
      name: 'a symlink pointing outside the spine',
      mutate: (dir) => {
        mkdirSync(join(dir, 'skills/leak'), { recursive: true });
        symlinkSync('/etc/passwd', join(dir, 'skills/leak/SKILL.md'));
      },
      expect: /skills\/leak\/SKILL\.md: symlink points outside the spine/,
    },
    {
      name: 'not a spine at all',
      mutate: (dir) => {
        cpSync(join(dir, 'spine.yaml'), join(dir, 'manifest.bak'));
        git(dir, 'init', '-q');
        writeTree(dir, {});
        rmSync(join(dir, 'spine.yaml'));
      },
      expect: /spine\.yaml: not a spine: no spine\.yaml/,
    },
  ];
  for (const c of spineCases) {
    it(`spine with ${c.name}`, async () => {
      const spineDir = tempDir('spine-src-');
      cpSync(EMBEDDED_SPINE, spineDir, { recursive: true });
      c.mutate(spineDir);
      const repo = gitdir({ 'README.md': 'x\n' });
      const before = snapshot(repo);
      const result = await runCli(['init', ...TEAM, '--spine', spineDir], { cwd: repo });
      expect(result.stderr).toMatch(c.expect);
      expect(result.code).toBe(2);
      expect(snapshot(repo)).toEqual(before);
    });
  }

  it('a directory that is not a git repository', async () => {
    const dir = tempDir();
    const result = await runCli(['init', ...TEAM], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a git repository/);
    expect(snapshot(dir)).toEqual({});
  });

  it('an unknown flag', async () => {
    const repo = gitdir();
    const result = await runCli(['init', '--frobnicate'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--frobnicate'/);
    expect(snapshot(repo)).toEqual({});
  });
});
