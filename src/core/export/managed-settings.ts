import type { MaskedCredential, Spine } from '../../spine/model.js';
import type { SettingsEntry } from '../render/desired-state.js';
import { settingsEntries } from '../render/settings-entries.js';
import type { MarketplaceSource } from './marketplace-source.js';
import { PLUGIN_HOOKS_ENV, pluginId } from './plugin-hooks.js';

export const SETTINGS_SCHEMA_URL = 'https://json.schemastore.org/claude-code-settings.json';

/** Where Claude Code reads the file source of managed settings, per platform. */
export const MANAGED_SETTINGS_DIRS = {
  linux: '/etc/claude-code',
  macos: '/Library/Application Support/ClaudeCode',
  windows: 'C:\\Program Files\\ClaudeCode',
} as const;

/** The drop-in name: managed-settings.d/*.json merge onto the base file in name order. */
export const DROP_IN_NAME = '50-spine.json';

/**
 * Left out of the managed env: managed env beats project env key by key, so exporting the
 * resource attributes would erase the per-team `team=` attribute that init writes per repo.
 */
const PER_TEAM_ENV = new Set(['OTEL_RESOURCE_ATTRIBUTES']);

export interface ManagedSettings {
  $schema: string;
  permissions: {
    deny?: string[];
    ask?: string[];
    disableBypassPermissionsMode?: 'disable';
  };
  disableAutoMode?: 'disable';
  env?: Record<string, string>;
  /** The locked sandbox guardrails: switches, denied paths and variables, domains. */
  sandbox?: Record<string, unknown>;
  /** spine's plugin marketplace and the plugin enabled: its hooks run under allowManagedHooksOnly. */
  extraKnownMarketplaces?: Record<string, { source: MarketplaceSource }>;
  enabledPlugins?: Record<string, true>;
}

export interface ManagedExport {
  settings: ManagedSettings;
  /** Guardrail ids carried into the file, in spine order. */
  guardrails: string[];
  /** Default-level guardrails left to project settings (teams may waive them). */
  leftToProject: string[];
}

/**
 * The spine's locked guardrails as a managed-settings document: the tier no team file can
 * override and that applies in untrusted workspaces too. Default guardrails, allow rules and
 * hooks stay in project settings (hooks run a script inside the repository).
 */
export function managedSettings(
  spine: Spine,
  options: { strict: boolean; pluginMarketplace?: MarketplaceSource },
): ManagedExport {
  // The team name only feeds OTEL_RESOURCE_ATTRIBUTES, which is never exported.
  const entries = settingsEntries(spine, '');
  const deny: string[] = [];
  const ask: string[] = [];
  const env: Record<string, string> = {};
  const guardrails = new Set<string>();
  const leftToProject = new Set<string>();
  let bypass = false;
  const sandbox: Record<string, unknown> = {};
  const masked = new Set(spine.secrets.credentials.map((c) => c.id));
  for (const entry of entries) {
    if (entry.kind === 'env') {
      // Telemetry is the org's switch: exported whenever the spine's audit policy enables it.
      if (!PER_TEAM_ENV.has(entry.name)) env[entry.name] = entry.value;
      guardrails.add(entry.id);
      continue;
    }
    if (!isManageable(entry)) continue;
    if (entry.level !== 'locked') {
      leftToProject.add(entry.id);
      continue;
    }
    // A masked credential's project fallback (deny) would beat its mask here too.
    if (masked.has(entry.id)) continue;
    guardrails.add(entry.id);
    if (entry.kind === 'item') pushAt(sandbox, entry.path.slice(1), entry.value);
    else if (entry.kind === 'setting' && entry.path[0] === 'sandbox')
      setAt(sandbox, entry.path.slice(1), entry.value);
    else if (entry.kind === 'setting') bypass = true;
    else if (entry.kind === 'rule' && entry.list === 'deny') pushUnique(deny, entry.value);
    else if (entry.kind === 'rule') pushUnique(ask, entry.value);
  }
  const settings: ManagedSettings = { $schema: SETTINGS_SCHEMA_URL, permissions: {} };
  if (deny.length) settings.permissions.deny = deny;
  if (ask.length) settings.permissions.ask = ask;
  if (bypass) settings.permissions.disableBypassPermissionsMode = 'disable';
  // Auto mode lets a classifier approve what would otherwise ask a person: the human gates
  // become advisory, as with bypass. It changes no team file, so it is safe to enforce.
  if (options.strict) settings.disableAutoMode = 'disable';
  if (options.pluginMarketplace) enablePlugin(settings, env, spine.manifest.name, options.pluginMarketplace);
  if (Object.keys(env).length) settings.env = env;
  for (const c of spine.secrets.credentials) {
    addMask(sandbox, c);
    guardrails.add(c.id);
  }
  const onlyManaged = spine.network.managedDomainsOnly;
  if (onlyManaged && Object.keys(sandbox).length > 0) {
    // Managed-only switch: no domain allowance but the organisation's counts on any machine.
    setAt(sandbox, ['network', 'allowManagedDomainsOnly'], true);
    guardrails.add(onlyManaged.id);
  }
  const strict = spine.network.strictAllowlist;
  if (strict && Object.keys(sandbox).length > 0) {
    // Honoured from managed settings only (2.1.332 ignores the project copy): no one is asked
    // about a host outside the allowed domains; the request is refused.
    setAt(sandbox, ['network', 'strictAllowlist'], true);
    guardrails.add(strict.id);
  }
  if (Object.keys(sandbox).length) settings.sandbox = sandbox;
  return {
    settings,
    guardrails: [...guardrails],
    leftToProject: [...leftToProject].filter((id) => !guardrails.has(id)),
  };
}

/**
 * Enables the plugin `spine export plugin` wrote (named after the spine, in a marketplace of the
 * same name), so its hooks run where `allowManagedHooksOnly` keeps project hooks off. The env
 * marker lets the plugin's copy act and makes both copies share out each event's record
 * (hooks/plugin-copy.ts), so nothing is recorded twice where both run.
 */
function enablePlugin(
  settings: ManagedSettings,
  env: Record<string, string>,
  name: string,
  source: MarketplaceSource,
): void {
  settings.extraKnownMarketplaces = { [name]: { source } };
  settings.enabledPlugins = { [pluginId(name)]: true };
  env[PLUGIN_HOOKS_ENV] = pluginId(name);
}

/**
 * Deny and ask rules, the bypass switch and the sandbox guardrails; allow rules would widen every
 * repo on the machine.
 */
function isManageable(entry: SettingsEntry): boolean {
  if (entry.kind === 'rule') return entry.list !== 'allow';
  if (entry.kind === 'item') return entry.path[0] === 'sandbox';
  if (entry.kind === 'setting' && entry.path[0] === 'sandbox') return true;
  return entry.kind === 'setting' && entry.key === 'permissions.disableBypassPermissionsMode';
}

/**
 * A credential in `mask` mode: honoured only from managed (or user, or --settings) files, so this
 * tier is the one that carries it.
 */
function addMask(sandbox: Record<string, any>, c: MaskedCredential): void {
  const inject = { mode: 'mask', injectHosts: [...c.injectHosts] };
  for (const name of c.envVars) pushAt(sandbox, ['credentials', 'envVars'], { name, ...inject });
  for (const path of c.files) pushAt(sandbox, ['credentials', 'files'], { path, ...inject });
  if (c.allowPlaintextInject) setAt(sandbox, ['credentials', 'allowPlaintextInject'], true);
}

function setAt(target: Record<string, any>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = node[key] ??= {};
  node[path[path.length - 1]!] = value;
}

function pushAt(target: Record<string, any>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = node[key] ??= {};
  const leaf = path[path.length - 1]!;
  node[leaf] ??= [];
  node[leaf].push(structuredClone(value));
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** Where to install the file on each platform: the base file, or a drop-in beside it. */
export function installPaths(): { platform: string; file: string; dropIn: string }[] {
  return [
    {
      platform: 'Linux/WSL',
      file: `${MANAGED_SETTINGS_DIRS.linux}/managed-settings.json`,
      dropIn: `${MANAGED_SETTINGS_DIRS.linux}/managed-settings.d/${DROP_IN_NAME}`,
    },
    {
      platform: 'macOS',
      file: `${MANAGED_SETTINGS_DIRS.macos}/managed-settings.json`,
      dropIn: `${MANAGED_SETTINGS_DIRS.macos}/managed-settings.d/${DROP_IN_NAME}`,
    },
    {
      platform: 'Windows',
      file: `${MANAGED_SETTINGS_DIRS.windows}\\managed-settings.json`,
      dropIn: `${MANAGED_SETTINGS_DIRS.windows}\\managed-settings.d\\${DROP_IN_NAME}`,
    },
  ];
}
