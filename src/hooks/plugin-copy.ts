import { existsSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * spine's hook shipped in a plugin (`spine export plugin`) that managed settings enable: the copy
 * that still runs where `allowManagedHooksOnly` keeps project hooks from running. The plugin's
 * hooks.json passes this argument; the project's settings never do.
 */
export const PLUGIN_ARG = 'plugin';

/**
 * Set by `spine export managed-settings --plugin-marketplace`, beside the keys that enable the
 * plugin. Without it the plugin copy does nothing (a plugin someone installed by hand must not
 * double the project hook's records); with it both copies claim each event (event-claim.ts).
 */
export const PLUGIN_ENV = 'SPINE_PLUGIN_HOOKS';

const POLICY = '.claude/hooks/spine-policy.json';
const SCRIPT = '.claude/hooks/spine-hook.cjs';
const LOCK = '.spine/lock.json';

export interface HookSite {
  /** The policy the hook decides by. */
  policy: string;
  /** Where the repository's own hook script lives: locateRepo finds the root from it. */
  script: string;
}

/**
 * The onboarded repository the plugin copy serves, or undefined when it has nothing to do: not
 * enabled by managed settings, or a session outside any repository spine onboarded (the plugin
 * runs on every repository of the machine). The topmost ancestor that holds spine's lock or
 * policy wins: the agent can write below its launch directory, not above the repository.
 */
export function pluginSite(env: NodeJS.ProcessEnv, launchDir: string): HookSite | undefined {
  if (!env[PLUGIN_ENV]) return undefined;
  let root: string | undefined;
  let dir = real(launchDir);
  for (;;) {
    if (existsSync(`${dir}/${LOCK}`) || existsSync(`${dir}/${POLICY}`)) root = dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (root === undefined) return undefined;
  const base = root === '/' ? '' : root;
  return { policy: `${base}/${POLICY}`, script: `${base}/${SCRIPT}` };
}

function real(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}
