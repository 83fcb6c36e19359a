import type { Spine } from '../../spine/model.js';
import type { HookGroup } from '../render/desired-state.js';
import { GUARD_EVENTS, settingsEntries } from '../render/settings-entries.js';

/** The plugin's copy of spine's hook, beside its hooks.json (the other hook files beside it). */
export const PLUGIN_HOOK_DIR = 'hooks';
export const PLUGIN_HOOK_SCRIPT = 'hooks/spine-hook.cjs';

/** The managed env marker that lets the plugin's copy act (hooks/plugin-copy.ts keeps the same name). */
export const PLUGIN_HOOKS_ENV = 'SPINE_PLUGIN_HOOKS';

/** The plugin as enabledPlugins names it; also the marker's value. */
export function pluginId(name: string): string {
  return `${name}@${name}`;
}

/**
 * The command the plugin runs for an event: the plugin's hook, told it is the plugin copy. Like
 * the project's, PreToolUse fails closed when Node.js is missing — but only in a repository
 * spine onboarded where managed settings enabled the copy: the plugin runs everywhere. Where
 * managed settings did not enable it (a plugin installed by hand), no node starts at all.
 */
export function pluginHookCommand(event: string): string {
  const enabled = '[ -n "$SPINE_PLUGIN_HOOKS" ] || exit 0';
  // Like the project's command: no CA bundle parsed at each start; the exporter gets it back.
  const run = `SPINE_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS= node "\${CLAUDE_PLUGIN_ROOT}/${PLUGIN_HOOK_SCRIPT}" plugin`;
  if (!GUARD_EVENTS.has(event)) return `${enabled}; ${run}`;
  const missing =
    'if [ -e "$CLAUDE_PROJECT_DIR/.spine/lock.json" ]; then echo "spine: the audit and secret guard hook needs Node.js >= 20 on PATH; install it (https://nodejs.org) to use Claude Code in this repository" >&2; exit 2; fi; exit 0';
  return `${enabled}; command -v node >/dev/null 2>&1 || { ${missing}; }; ${run} || exit 2`;
}

/**
 * Events a client's plugin validator may not know: 2.1.197 refuses a hooks.json naming
 * PreSkillShellCommand ("Invalid key in record"), and a plugin whose hooks.json fails to load
 * would lose the audit too. Project settings carry it (an unknown key there is ignored).
 */
const NOT_IN_PLUGIN = new Set(['PreSkillShellCommand']);

/**
 * hooks/hooks.json: the same events, matchers, timeouts and async flags as the groups `spine
 * init` writes into project settings, each running the plugin's copy. Undefined when the spine
 * has neither audit nor guard.
 */
export function pluginHooks(
  spine: Spine,
): { description: string; hooks: Record<string, HookGroup[]> } | undefined {
  const hooks: Record<string, HookGroup[]> = {};
  for (const entry of settingsEntries(spine, '')) {
    if (entry.kind !== 'hook' || NOT_IN_PLUGIN.has(entry.event)) continue;
    const command = pluginHookCommand(entry.event);
    hooks[entry.event] = [{ ...entry.value, hooks: entry.value.hooks.map((h) => ({ ...h, command })) }];
  }
  if (Object.keys(hooks).length === 0) return undefined;
  return {
    description:
      "spine's audit log and secret guard, for machines whose managed settings let only managed hooks run; acts only where managed settings set SPINE_PLUGIN_HOOKS, in repositories onboarded with spine init",
    hooks,
  };
}
