import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadValidator } from '../../src/spine/validators.js';
import { CLAUDE_BIN, claudeHome } from '../helpers/claude.js';
import { clientEnv } from '../helpers/client-env.mjs';
import { git, snapshot, tempDir } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';

async function expectValidSettings(value: unknown): Promise<void> {
  const validate = await loadValidator('claude-settings');
  const ok = validate(value);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

/** A spine with telemetry on, a locked ask rule, a locked allow rule and bypass left to teams. */
const customSpine = () =>
  spineCopy((d) => {
    editFile(d, 'guardrails/audit.yaml', (t) =>
      t.replace(
        'telemetry:\n  enabled: false',
        'telemetry:\n  enabled: true\n  endpoint: https://otel.example.com:4318\n  protocol: http/json\n  resourceAttributes:\n    department: eng',
      ),
    );
    editFile(d, 'guardrails/permissions.yaml', (t) =>
      t
        .replace('  id: no-bypass-mode\n  level: locked', '  id: no-bypass-mode\n  level: default')
        .replace(
          '  - id: gate-git-push\n    rules:\n      - "Bash(git push:*)"\n    level: default',
          '  - id: gate-git-push\n    rules:\n      - "Bash(git push:*)"\n    level: locked',
        )
        .concat(
          '\nallow:\n  - id: allow-tests\n    rules:\n      - "Bash(npm test)"\n    level: locked\n    why: test\n',
        ),
    );
  });

describe('spine export managed-settings', () => {
  it('--plugin-marketplace enables the spine plugin exported there, schema-valid', async () => {
    const cwd = tempDir();
    expect((await runCli(['export', 'plugin', 'market', '--spine', 'embedded'], { cwd })).code).toBe(0);
    const result = await runCli(
      ['export', 'managed-settings', '--spine', 'embedded', '--plugin-marketplace', 'market'],
      { cwd },
    );
    expect(result.code, result.stderr).toBe(0);
    const settings = JSON.parse(result.stdout);
    await expectValidSettings(settings);
    expect(settings.extraKnownMarketplaces).toEqual({
      'default-spine': { source: { source: 'directory', path: join(cwd, 'market') } },
    });
    expect(settings.enabledPlugins).toEqual({ 'default-spine@default-spine': true });
    expect(settings.env.SPINE_PLUGIN_HOOKS).toBe('default-spine@default-spine');
    expect(result.stderr).toMatch(/allowManagedHooksOnly/);
  });

  it.each([
    {
      name: 'a directory without a plugin export',
      setup: () => {},
      at: /market\/\.claude-plugin\/marketplace\.json: no plugin marketplace here/,
    },
    {
      name: "another spine's marketplace",
      setup: (cwd: string) => {
        mkdirSync(join(cwd, 'market/.claude-plugin'), { recursive: true });
        writeFileSync(join(cwd, 'market/.claude-plugin/marketplace.json'), '{"name":"other"}');
      },
      at: /marketplace\.json: the marketplace is "other", not this spine's \("default-spine"\)/,
    },
  ])('--plugin-marketplace refuses $name with exit 2, nothing written', async ({ setup, at }) => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'market'));
    setup(cwd);
    const before = snapshot(cwd);
    const result = await runCli(
      [
        'export',
        'managed-settings',
        '--spine',
        'embedded',
        '--plugin-marketplace',
        'market',
        '--out',
        'm.json',
      ],
      { cwd },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(at);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('prints the locked guardrails as a schema-valid managed-settings document, and where to install it', async () => {
    const cwd = tempDir();
    const result = await runCli(['export', 'managed-settings', '--spine', 'embedded'], { cwd });
    expect(result.code).toBe(0);
    const settings = JSON.parse(result.stdout);
    await expectValidSettings(settings);
    expect(settings.permissions.disableBypassPermissionsMode).toBe('disable');
    // Locked: force-push deny and the secret-file denies.
    expect(settings.permissions.deny).toEqual(
      expect.arrayContaining(['Bash(git push -f origin main*)', 'Read(**/.env)', 'Edit(**/*.pem)']),
    );
    // Default guardrails stay in project settings, where teams may waive them.
    expect(settings.permissions.deny).not.toContain('Bash(curl * | sh*)');
    expect(settings.permissions.ask).toBeUndefined();
    expect(settings.hooks).toBeUndefined();
    expect(settings.env).toBeUndefined();
    expect(settings.disableAutoMode).toBeUndefined();
    expect(settings.allowManagedHooksOnly).toBeUndefined();
    expect(settings.allowManagedPermissionRulesOnly).toBeUndefined();
    expect(result.stderr).toContain('/etc/claude-code/managed-settings.json');
    expect(result.stderr).toContain('/etc/claude-code/managed-settings.d/50-spine.json');
    expect(result.stderr).toContain('/Library/Application Support/ClaudeCode/managed-settings.json');
    expect(result.stderr).toContain('C:\\Program Files\\ClaudeCode\\managed-settings.json');
    expect(snapshot(cwd)).toEqual({});
  });

  it('a spine loaded once is memoised by its content: an edit to it shows in the next export', async () => {
    const spine = spineCopy();
    const cwd = tempDir();
    const env = { XDG_CACHE_HOME: tempDir('spine-export-cache-') };
    const exported = async () => {
      const result = await runCli(['export', 'managed-settings', '--spine', spine], { cwd, env });
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout).permissions as { ask?: string[] };
    };
    const first = await exported();
    expect(await exported()).toEqual(first);
    expect(readdirSync(join(env.XDG_CACHE_HOME, 'spine', 'memo', 'spine'))).toHaveLength(1);
    editFile(spine, 'guardrails/permissions.yaml', (t) =>
      t.replace(
        '  - id: gate-git-push\n    rules:\n      - "Bash(git push:*)"\n    level: default',
        '  - id: gate-git-push\n    rules:\n      - "Bash(git push:*)"\n    level: locked',
      ),
    );
    // The ask rule, locked now, is carried into managed settings.
    expect(first.ask).toBeUndefined();
    expect((await exported()).ask).toEqual(['Bash(git push:*)']);
  });

  it('carries locked ask rules and telemetry, never allow rules, per-team attributes or a default bypass switch', async () => {
    const spine = customSpine();
    const cwd = tempDir();
    const result = await runCli(['export', 'managed-settings', '--spine', spine, '--strict'], { cwd });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const settings = JSON.parse(result.stdout);
    await expectValidSettings(settings);
    expect(settings.permissions.ask).toEqual(['Bash(git push:*)']);
    expect(settings.permissions.allow).toBeUndefined();
    expect(settings.permissions.disableBypassPermissionsMode).toBeUndefined();
    expect(settings.disableAutoMode).toBe('disable');
    expect(settings.env).toEqual({
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com:4318',
    });
  });

  it('writes --out atomically, leaving stdout empty, and --json describes the export', async () => {
    const cwd = tempDir();
    const written = await runCli(
      ['export', 'managed-settings', '--out', 'managed.json', '--spine', 'embedded'],
      { cwd },
    );
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual(['managed.json']);
    const file = JSON.parse(readFileSync(join(cwd, 'managed.json'), 'utf8'));
    await expectValidSettings(file);

    const json = await runCli(['export', 'managed-settings', '--json', '--spine', 'embedded'], { cwd });
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ schemaVersion: 1, strict: false, spine: { name: 'default-spine' } });
    expect(result.settings).toEqual(file);
    expect(result.guardrails).toEqual(expect.arrayContaining(['no-bypass-mode', 'no-force-push-main']));
    expect(result.leftToProject).toEqual(expect.arrayContaining(['gate-git-push', 'no-curl-pipe-shell']));
  });

  it.each([
    { name: 'an unknown spine source', args: ['--spine', 'no-such-spine'], at: /no-such-spine/ },
    { name: 'an invalid spine', args: ['--spine', 'BROKEN'], at: /spine\.yaml:\d+:\d+/ },
    {
      name: 'a missing output directory',
      args: ['--out', 'nowhere/managed.json', '--spine', 'embedded'],
      at: /nowhere\/managed\.json/,
    },
  ])('refuses $name with exit 2 and writes nothing', async ({ args, at }) => {
    const cwd = tempDir();
    const broken = spineCopy((d) => writeFileSync(join(d, 'spine.yaml'), 'name: [unclosed\n'));
    const argv = args.map((a) => (a === 'BROKEN' ? broken : a));
    const result = await runCli(['export', 'managed-settings', '--out', 'out.json', ...argv], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(at);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshot(cwd)).toEqual({});
  });
});

describe('export knows which spine it stands in', () => {
  it('inside a spine repository: that spine, named on the first line', async () => {
    const root = tempDir();
    expect((await runCli(['new', 'acme-spine', '--yes'], { cwd: root })).code).toBe(0);
    const spine = join(root, 'acme-spine');
    editFile(spine, 'guardrails/permissions.yaml', (t) =>
      t.replace(
        '  - id: gate-git-push\n    rules:\n      - "Bash(git push:*)"\n    level: default',
        '  - id: gate-git-push\n    rules:\n      - "Bash(git push:*)"\n    level: locked',
      ),
    );
    git(spine, 'commit', '-qam', 'lock git push');
    const result = await runCli(['export', 'managed-settings', '--cwd', join(spine, 'skills')], {
      cwd: root,
    });
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n')[0]).toMatch(
      /^exporting acme-spine v0\.1\.0 \(the spine repository here: /,
    );
    expect(JSON.parse(result.stdout).permissions.ask).toContain('Bash(git push:*)');
  });

  it('inside a team repo: the locked spine at the locked version, even after a newer release', async () => {
    const root = tempDir();
    expect((await runCli(['new', 'acme-spine', '--yes', '--release'], { cwd: root })).code).toBe(0);
    const spine = join(root, 'acme-spine');
    const team = join(root, 'team');
    mkdirSync(team);
    git(team, 'init', '-q');
    const init = await runCli(['init', '--yes', '--spine', spine, '--team', 't', '--champion', '@c'], {
      cwd: team,
    });
    expect(init.code, init.stderr).toBe(0);
    editFile(spine, 'spine.yaml', (t) => t.replace('version: 0.1.0', 'version: 0.2.0'));
    git(spine, 'commit', '-qam', 'v0.2.0');
    git(spine, 'tag', 'v0.2.0');
    const plugin = await runCli(['export', 'plugin', '../market'], { cwd: team });
    expect(plugin.code, plugin.stderr).toBe(0);
    expect(plugin.stderr.split('\n')[0]).toMatch(
      /^exporting acme-spine v0\.1\.0 \(this team repo's locked spine/,
    );
  });

  it('anywhere else: exit 2 saying to pass --spine, nothing written', async () => {
    const cwd = tempDir();
    for (const argv of [
      ['managed-settings', '--out', 'm.json'],
      ['plugin', 'market'],
    ]) {
      const result = await runCli(['export', ...argv], { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^spine: not inside a spine repository .*pass --spine/);
      expect(readdirSync(cwd)).toEqual([]);
    }
  });
});

/** `claude plugin validate --strict`, offline, with a scratch home. */
function claudeValidate(path: string): Promise<{ code: number; output: string }> {
  const home = claudeHome();
  const env = clientEnv({ home });
  return new Promise((resolve) => {
    execFile(
      CLAUDE_BIN,
      ['plugin', 'validate', '--strict', path],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: stdout + stderr,
        });
      },
    );
  });
}

describe('spine export plugin', () => {
  it('writes a marketplace that the real claude client validates under --strict', async () => {
    const cwd = tempDir();
    const result = await runCli(['export', 'plugin', 'market', '--spine', 'embedded'], { cwd });
    expect(result.stderr).toMatch(/^exporting default-spine v\S+ \(from --spine: embedded\)\n$/);
    expect(result.code).toBe(0);
    const root = join(cwd, 'market');
    const marketplace = JSON.parse(readFileSync(join(root, '.claude-plugin/marketplace.json'), 'utf8'));
    expect(marketplace).toMatchObject({
      name: 'default-spine',
      owner: { name: '@platform-team' },
      plugins: [{ name: 'default-spine', source: './plugins/default-spine', version: '1.0.0' }],
    });
    const plugin = join(root, 'plugins/default-spine');
    expect(JSON.parse(readFileSync(join(plugin, '.claude-plugin/plugin.json'), 'utf8'))).toMatchObject({
      name: 'default-spine',
      version: '1.0.0',
    });
    for (const path of [
      'skills/review-change/SKILL.md',
      'skills/review-change/checklist.md',
      'agents/change-reviewer.md',
      'commands/spine-status.md',
    ]) {
      expect(readFileSync(join(plugin, path))).toEqual(readFileSync(join(EMBEDDED_SPINE, path)));
    }
    // spine's hook, wired for every event project settings wire, running the plugin's copy.
    const hooks = JSON.parse(readFileSync(join(plugin, 'hooks/hooks.json'), 'utf8')).hooks;
    expect(Object.keys(hooks)).toEqual(expect.arrayContaining(['PreToolUse', 'Stop', 'SessionEnd']));
    for (const file of ['spine-hook.cjs', 'spine-hook-guard.cjs', 'spine-hook-session.cjs'])
      expect(readFileSync(join(plugin, 'hooks', file))).toEqual(
        readFileSync(join(REPO_ROOT, 'dist/hooks', file)),
      );

    for (const target of [root, plugin]) {
      const validated = await claudeValidate(target);
      expect(validated.output).toContain('Validation passed');
      expect(validated.code).toBe(0);
    }
  }, 120_000);

  it('replaces a previous export: removes what the spine dropped, keeps files it never wrote', async () => {
    const spine = spineCopy();
    const cwd = tempDir();
    expect((await runCli(['export', 'plugin', 'market', '--spine', spine], { cwd })).code).toBe(0);
    writeFileSync(join(cwd, 'market/README.md'), 'ours\n');
    rmSync(join(spine, 'skills/review-change'), { recursive: true });
    editFile(spine, 'spine.yaml', (t) => t.replace('version: 1.0.0', 'version: 1.1.0'));

    const again = await runCli(['export', 'plugin', 'market', '--spine', spine, '--json'], { cwd });
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result.removed).toEqual([
      'plugins/default-spine/skills/review-change/SKILL.md',
      'plugins/default-spine/skills/review-change/checklist.md',
    ]);
    expect(existsSync(join(cwd, 'market/plugins/default-spine/skills/review-change'))).toBe(false);
    expect(readFileSync(join(cwd, 'market/README.md'), 'utf8')).toBe('ours\n');
    expect(readFileSync(join(cwd, 'market/.claude-plugin/marketplace.json'), 'utf8')).toContain('"1.1.0"');

    const same = await runCli(['export', 'plugin', 'market', '--spine', spine], { cwd });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('nothing to write');
  });

  it('exports into a fresh git repository', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'market'));
    git(join(cwd, 'market'), 'init', '-q');
    const result = await runCli(['export', 'plugin', 'market', '--spine', 'embedded'], { cwd });
    expect(result.code).toBe(0);
    expect(existsSync(join(cwd, 'market/.claude-plugin/marketplace.json'))).toBe(true);
  });

  it.each([
    {
      name: 'a non-empty directory that holds no previous export',
      setup: (d: string) => writeFileSync(join(d, 'market/notes.txt'), 'x'),
      at: /^spine: market: directory is not empty/,
    },
    {
      name: 'a corrupt export marker',
      setup: (d: string) => writeFileSync(join(d, 'market/.spine-export.json'), '{'),
      at: /^spine: market\/\.spine-export\.json: not valid JSON/,
    },
    {
      name: 'a marker that names a path outside the export',
      setup: (d: string) =>
        writeFileSync(
          join(d, 'market/.spine-export.json'),
          JSON.stringify({ generator: 'spine', kind: 'claude-plugin-marketplace', files: ['.git/config'] }),
        ),
      at: /unsafe path/,
    },
  ])('refuses $name with exit 2 and changes nothing', async ({ setup, at }) => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'market'));
    setup(cwd);
    const before = snapshot(cwd);
    const result = await runCli(['export', 'plugin', 'market', '--spine', 'embedded'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(at);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('refuses a bad --spine with exit 2 and creates no directory', async () => {
    const cwd = tempDir();
    const result = await runCli(['export', 'plugin', 'market', '--spine', 'no-such-spine'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no spine source "no-such-spine": .*\/no-such-spine is not a directory/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
