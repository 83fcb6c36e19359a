import { describe, expect, it } from 'vitest';
import { managedSettings } from '../../src/core/export/managed-settings.js';
import { EXPORT_MARKER, parseExportMarker, pluginFiles } from '../../src/core/export/plugin-files.js';
import { reservedMarketplaceName } from '../../src/core/export/reserved-names.js';
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
    for (const g of spine.network.allowed) g.level = 'locked';
    const { settings, guardrails } = managedSettings(spine, { strict: false });
    const sandbox = settings.sandbox as Record<string, any>;
    expect(sandbox.failIfUnavailable).toBe(true);
    expect(sandbox.network.allowManagedDomainsOnly).toBe(true);
    expect(sandbox.network.allowedDomains).toContain('registry.npmjs.org');
    expect(guardrails).toContain('egress-managed-only');
  });
});

describe('pluginFiles', () => {
  it('lists every file it writes in the marker, which parses back', async () => {
    const out = pluginFiles(await embedded(), { tool: '0.0.0', source: 'embedded' });
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
