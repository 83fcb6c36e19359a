import type { Level, SandboxSettings, Spine } from '../../spine/model.js';
import { toSandboxPath } from '../sandbox/sandbox-path.js';
import { type ItemValue, itemKey } from '../sandbox/settings-item.js';
import type { SettingsEntry } from './desired-state.js';
import { toolchainGroups } from './toolchains.js';

export const DENY_READ = ['sandbox', 'filesystem', 'denyRead'];
export const ALLOW_READ = ['sandbox', 'filesystem', 'allowRead'];
export const ALLOW_WRITE = ['sandbox', 'filesystem', 'allowWrite'];
export const DENY_WRITE = ['sandbox', 'filesystem', 'denyWrite'];
export const ENV_VARS = ['sandbox', 'credentials', 'envVars'];
export const EXCLUDED = ['sandbox', 'excludedCommands'];
export const ALLOWED_DOMAINS = ['sandbox', 'network', 'allowedDomains'];
export const DENIED_DOMAINS = ['sandbox', 'network', 'deniedDomains'];

const SCALARS = [
  'enabled',
  'allowUnsandboxedCommands',
  'failIfUnavailable',
  'autoAllowBashIfSandboxed',
] as const;
const LISTS: Record<'excludedCommands' | 'allowWrite' | 'denyWrite' | 'allowRead', string[]> = {
  excludedCommands: EXCLUDED,
  allowWrite: ALLOW_WRITE,
  denyWrite: DENY_WRITE,
  allowRead: ALLOW_READ,
};

/** The guardrail that turns the sandbox on, if the spine has one. */
export function sandboxGuardrail(spine: Spine) {
  return spine.secrets.sandbox.find((g) => g.settings.enabled === true);
}

/**
 * The secret policy and egress compiled into Claude Code's OS sandbox. Only when the spine turns
 * the sandbox on: denyRead paths without `sandbox.enabled` would be inert lines in every repo.
 * Each path, variable and domain is its own entry, so a team's own additions sit beside spine's
 * and drift is found element by element.
 */
export function sandboxEntries(spine: Spine, toolchains?: readonly string[]): SettingsEntry[] {
  const switches = spine.secrets.sandbox;
  const on = sandboxGuardrail(spine);
  if (!on) return [];
  const entries: SettingsEntry[] = [];
  const seen = new Set<string>();
  const item = (path: string[], value: ItemValue, id: string, level: Level) => {
    const key = itemKey(path, value);
    if (seen.has(key)) return;
    seen.add(key);
    entries.push({ kind: 'item', key, id, level, path, value });
  };

  for (const g of switches) {
    for (const name of SCALARS) {
      const value = g.settings[name];
      if (value === undefined) continue;
      entries.push({
        kind: 'setting',
        key: `sandbox.${name}`,
        id: g.id,
        level: g.level,
        path: ['sandbox', name],
        value,
      });
    }
  }
  for (const p of spine.secrets.paths) {
    // Evaluated secret paths reach the sandbox only once the spine enforces them.
    if (p.mode === 'evaluate') continue;
    for (const glob of p.globs) {
      const compiled = toSandboxPath(glob);
      // validate refuses a spine with an inexpressible glob; render never sees one.
      if ('path' in compiled) item(DENY_READ, compiled.path, p.id, p.level);
    }
  }
  for (const glob of spine.secrets.allowPaths) {
    const compiled = toSandboxPath(glob);
    // Re-allowing is never a weakening of the spine: these entries are default-level.
    if ('path' in compiled) item(ALLOW_READ, compiled.path, on.id, 'default');
  }
  for (const v of spine.secrets.envVars) {
    for (const name of v.names) item(ENV_VARS, { name, mode: 'deny' }, v.id, v.level);
  }
  // A masked credential is hidden in project settings: no client masks from there, and a
  // machine without the managed tier must not show the real value (docs/clients.md).
  for (const c of spine.secrets.credentials) {
    for (const name of c.envVars) item(ENV_VARS, { name, mode: 'deny' }, c.id, c.level);
    for (const file of c.files) {
      const compiled = toSandboxPath(file);
      if ('path' in compiled) item(DENY_READ, compiled.path, c.id, c.level);
    }
  }
  for (const g of switches) {
    for (const [name, path] of Object.entries(LISTS) as [keyof SandboxSettings, string[]][]) {
      for (const value of (g.settings[name] as string[] | undefined) ?? []) item(path, value, g.id, g.level);
    }
  }
  for (const g of spine.network.allowed) for (const d of g.domains) item(ALLOWED_DOMAINS, d, g.id, g.level);
  for (const g of spine.network.denied) for (const d of g.domains) item(DENIED_DOMAINS, d, g.id, g.level);
  // After network.yaml: a registry both allow keeps the network guardrail's id.
  for (const g of toolchainGroups(spine, toolchains)) {
    for (const path of g.write) item(ALLOW_WRITE, path, g.id, g.level);
    for (const d of g.domains) item(ALLOWED_DOMAINS, d, g.id, g.level);
  }
  return entries;
}
