import { describe, expect, it } from 'vitest';
import { managedSettings } from '../../src/core/export/managed-settings.js';
import { marketplaceSource } from '../../src/core/export/marketplace-source.js';
import { EXPORT_MARKER, parseExportMarker, pluginFiles } from '../../src/core/export/plugin-files.js';
import { pluginHooks } from '../../src/core/export/plugin-hooks.js';
import { reservedMarketplaceName } from '../../src/core/export/reserved-names.js';
import { settingsEntries } from '../../src/core/render/settings-entries.js';
import { loadSpine } from '../../src/spine/load.js';
import type { Spine } from '../../src/spine/model.js';
import { readSpineDirectory } from '../../src/spine/sources/directory.js';
import { EMBEDDED_SPINE } from '../helpers/run-cli.js';

async function embedded(): Promise<Spine> {
  const { spine } = await loadSpine(readSpineDirectory(EMBEDDED_SPINE, 'spine/'));
  return spine!;
}

describe('managedSettings', () => {
  it('lists a rule two locked guardrails share once', async () => {
    const spine = await embedded();
    spine.permissions.rules.push({
      id: 'again',
      effect: 'deny',
      rules: ['Bash(git push -f origin main*)'],
      level: 'locked',
      why: 'test',
      file: 'x',
    });
    const { settings, guardrails } = managedSettings(spine, { strict: false });
    const deny = settings.permissions.deny ?? [];
    expect(deny.filter((r) => r === 'Bash(git push -f origin main*)')).toHaveLength(1);
    expect(guardrails).toContain('again');
  });

  it('is empty of permissions when nothing is locked', async () => {
    const spine = await embedded();
    for (const r of spine.permissions.rules) r.level = 'default';
    for (const p of spine.secrets.paths) p.level = 'default';
    spine.permissions.bypassMode!.level = 'default';
    expect(managedSettings(spine, { strict: false }).settings.permissions).toEqual({});
  });
});

describe('managedSettings: the sandbox', () => {
  it('carries the locked sandbox guardrails, leaving default switches and allowances to projects', async () => {
    const { settings, guardrails, leftToProject } = managedSettings(await embedded(), { strict: false });
    const sandbox = settings.sandbox as Record<string, any>;
    expect(sandbox).toMatchObject({ enabled: true, allowUnsandboxedCommands: false });
    expect(sandbox.filesystem.denyRead).toEqual(expect.arrayContaining(['**/.env', '~/.ssh/**', '**/*.key']));
    expect(sandbox.credentials.envVars).toContainEqual({ name: 'AWS_SECRET_ACCESS_KEY', mode: 'deny' });
    expect(sandbox.network.deniedDomains).toContain('pastebin.com');
    // Default-level: a team may waive them, so they stay in project settings.
    expect(sandbox.autoAllowBashIfSandboxed).toBeUndefined();
    expect(sandbox.network.allowedDomains).toBeUndefined();
    expect(sandbox.network.allowManagedDomainsOnly).toBeUndefined();
    expect(guardrails).toEqual(
      expect.arrayContaining(['sandbox-enabled', 'secret-env', 'egress-paste-sites']),
    );
    expect(leftToProject).toEqual(
      expect.arrayContaining(['sandbox-keeps-approvals', 'egress-package-registries']),
    );
  });

  it('asks for failIfUnavailable and managed domains only where the spine does', async () => {
    const spine = await embedded();
    spine.secrets.sandbox[0]!.settings.failIfUnavailable = true;
    spine.network.managedDomainsOnly = { id: 'egress-managed-only', level: 'locked', why: 'org' };
    spine.network.strictAllowlist = { id: 'egress-strict', level: 'locked', why: 'no prompts' };
    for (const g of spine.network.allowed) g.level = 'locked';
    const { settings, guardrails } = managedSettings(spine, { strict: false });
    const sandbox = settings.sandbox as Record<string, any>;
    expect(sandbox.failIfUnavailable).toBe(true);
    expect(sandbox.network.allowManagedDomainsOnly).toBe(true);
    expect(sandbox.network.allowedDomains).toContain('registry.npmjs.org');
    expect(guardrails).toContain('egress-managed-only');
    // Refused without a prompt: honoured from managed settings only (docs/sandbox.md).
    expect(sandbox.network.strictAllowlist).toBe(true);
    expect(guardrails).toContain('egress-strict');
    expect(managedSettings(await embedded(), { strict: false }).settings.sandbox).not.toHaveProperty(
      'network.strictAllowlist',
    );
  });
});

describe('managedSettings with the plugin marketplace', () => {
  it('declares the marketplace, enables the plugin and sets the marker the hook copies share by', async () => {
    const spine = await embedded();
    const name = spine.manifest.name;
    const source = marketplaceSource('github:acme/spine-plugin', (p) => p);
    const { settings } = managedSettings(spine, { strict: false, pluginMarketplace: source });
    expect(settings.extraKnownMarketplaces).toEqual({
      [name]: { source: { source: 'github', repo: 'acme/spine-plugin' } },
    });
    expect(settings.enabledPlugins).toEqual({ [`${name}@${name}`]: true });
    expect(settings.env?.SPINE_PLUGIN_HOOKS).toBe(`${name}@${name}`);
    expect(managedSettings(spine, { strict: false }).settings.enabledPlugins).toBeUndefined();
  });

  it('reads the three source forms', () => {
    const abs = (p: string) => `/abs/${p}`;
    expect(marketplaceSource('github:acme/x', abs)).toEqual({ source: 'github', repo: 'acme/x' });
    expect(marketplaceSource('https://git.example.com/a/x.git', abs)).toEqual({
      source: 'git',
      url: 'https://git.example.com/a/x.git',
    });
    expect(marketplaceSource('git@github.com:a/x.git', abs).source).toBe('git');
    expect(marketplaceSource('market', abs)).toEqual({ source: 'directory', path: '/abs/market' });
  });
});

describe('pluginFiles', () => {
  it('lists every file it writes in the marker, which parses back', async () => {
    const out = pluginFiles(await embedded(), {
      tool: '0.0.0',
      source: 'embedded',
      hookFiles: [
        { name: 'spine-hook.cjs', content: Buffer.from('hook') },
        { name: 'spine-hook-session.cjs', content: Buffer.from('session') },
      ],
    });
    const marker = out.files.at(-1)!;
    expect(marker.path).toBe(EXPORT_MARKER);
    const parsed = parseExportMarker(marker.content.toString('utf8'));
    expect(typeof parsed).not.toBe('string');
    expect(parsed).toMatchObject({
      files: out.files
        .slice(0, -1)
        .map((f) => f.path)
        .sort(),
    });
  });

  it("carries spine's hook, wired like project settings but running the plugin's copy", async () => {
    const spine = await embedded();
    const name = spine.manifest.name;
    const out = pluginFiles(spine, {
      tool: '0.0.0',
      source: 'embedded',
      hookFiles: [
        { name: 'spine-hook.cjs', content: Buffer.from('HOOK') },
        { name: 'spine-hook-guard.cjs', content: Buffer.from('GUARD') },
        { name: 'spine-hook-session.cjs', content: Buffer.from('SESSION') },
      ],
    });
    const file = (path: string) => out.files.find((f) => f.path === `plugins/${name}/${path}`);
    expect(file('hooks/spine-hook.cjs')?.content.toString()).toBe('HOOK');
    expect(file('hooks/spine-hook-guard.cjs')?.content.toString()).toBe('GUARD');
    expect(file('hooks/spine-hook-session.cjs')?.content.toString()).toBe('SESSION');
    const { hooks } = JSON.parse(file('hooks/hooks.json')!.content.toString());
    const project = settingsEntries(spine, '')
      .filter((e) => e.kind === 'hook')
      .filter((e) => e.event !== 'PreSkillShellCommand');
    expect(Object.keys(hooks).sort()).toEqual(project.map((e) => e.event).sort());
    for (const entry of project) {
      const [group] = hooks[entry.event];
      const [hook] = group.hooks;
      expect(hook.async).toBe(entry.value.hooks[0]!.async);
      expect(group.matcher).toBe(entry.value.matcher);
      expect(hook.command).toContain(`node "\${CLAUDE_PLUGIN_ROOT}/hooks/spine-hook.cjs" plugin`);
    }
    // Fails closed on a missing Node.js only where the copy acts: an onboarded repo, enabled.
    expect(hooks.PreToolUse[0].hooks[0].command).toMatch(/SPINE_PLUGIN_HOOKS.*lock\.json.*exit 2/);
    // Not enabled by managed settings: no node start at all, on any event.
    for (const [event] of Object.entries(hooks))
      expect(hooks[event][0].hooks[0].command, event).toMatch(
        /^\[ -n "\$SPINE_PLUGIN_HOOKS" \] \|\| exit 0; /,
      );
  });

  it('has no hooks for a spine without audit or guard', async () => {
    const spine = await embedded();
    spine.audit = undefined;
    spine.secrets.guard = undefined;
    expect(pluginHooks(spine)).toBeUndefined();
  });

  it('rejects markers that are not spine exports', () => {
    expect(parseExportMarker('[')).toBe('not valid JSON');
    expect(parseExportMarker('null')).toBe('not a spine plugin export marker');
    expect(parseExportMarker('{"generator":"spine","kind":"claude-plugin-marketplace","files":[1]}')).toMatch(
      /files/,
    );
  });

  it('knows the reserved marketplace names', () => {
    expect(reservedMarketplaceName('claude-plugins-official')).toMatch(/reserved/);
    expect(reservedMarketplaceName('acme-spine')).toBeUndefined();
  });
});
