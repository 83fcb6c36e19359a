import { readFileSync } from 'node:fs';
import { maskEntries } from '../../core/client/credential-masks.js';
import {
  CREDENTIAL_MASK_SINCE,
  clientBelow,
  clientVersion,
  type InstalledClient,
  PLUGIN_HOOKS_UNDER_MANAGED_ONLY_SINCE,
} from '../../core/client/support.js';
import { pluginId } from '../../core/export/plugin-hooks.js';
import { type Problem, problem } from '../../core/problems.js';
import { type JsonFile, locateJson } from '../../core/settings/settings-json.js';
import type { ManagedSettingsOnMachine } from '../../io/managed-settings.js';
import { packagePath } from '../../io/package-files.js';

let knownKeys: Set<string> | undefined;

/**
 * The settings schema lets unknown top-level keys pass (Claude Code ignores them, and newer
 * versions add keys), so the validator never names them; doctor warns about them itself.
 */
export function unknownTopLevelKeys(json: JsonFile): Problem[] {
  // The schema's top-level keys, listed at build time (scripts/build-validators.mjs).
  knownKeys ??= new Set(
    JSON.parse(readFileSync(packagePath('generated/claude-settings-keys.json'), 'utf8')) as string[],
  );
  return Object.keys(json.value)
    .filter((key) => !knownKeys!.has(key))
    .map((key) =>
      problem(
        'settings-unknown-key',
        `unknown key "${key}"`,
        { file: json.file, ...locateJson(json, [key]) },
        'warning',
      ),
    );
}

/**
 * A client older than `mask` rejects the value and with it the whole file (verified on 2.1.197),
 * though the schema spine ships knows it: such a file is void on this machine.
 */
export function unknownMaskMode(
  file: string,
  json: JsonFile,
  client: InstalledClient | undefined,
): Problem[] {
  if (!clientBelow(client, CREDENTIAL_MASK_SINCE)) return [];
  const first = maskEntries(json.value)[0];
  if (!first) return [];
  return [
    problem(
      'settings-dropped',
      `sandbox.credentials.${first.list}[${first.index}].mode "mask" is unknown to Claude Code ${clientVersion(client)}`,
      { file, ...locateJson(json, ['sandbox', 'credentials', first.list, first.index, 'mode']) },
    ),
  ];
}

/**
 * Why spine's hooks do not run on this machine, or undefined: managed `allowManagedHooksOnly`
 * keeps project hooks off, and only the spine's plugin, enabled by the same managed settings
 * (with the marker that lets its copy act), on a client that runs such plugin hooks, keeps them.
 */
export function managedHooksOnlyGap(
  managed: ManagedSettingsOnMachine | undefined,
  client: InstalledClient | undefined,
  spineName: string,
): { file: string; message: string; fix: string } | undefined {
  if (managed?.settings.allowManagedHooksOnly !== true) return undefined;
  const id = pluginId(spineName);
  const file = managed.files.at(-1)!;
  const off = "so spine's audit is off on this machine and its secret guard does not run";
  const enabled = (managed.settings.enabledPlugins as Record<string, unknown> | undefined)?.[id];
  const marker = (managed.settings.env as Record<string, unknown> | undefined)?.SPINE_PLUGIN_HOOKS;
  if (!enabled || marker !== id) {
    return {
      file,
      message: `managed settings set allowManagedHooksOnly and do not enable spine's plugin (${id}): project hooks do not run, ${off}`,
      fix: `publish spine export plugin <dir> and add the keys of spine export managed-settings --plugin-marketplace <where it is published> to the managed settings (needs Claude Code ${PLUGIN_HOOKS_UNDER_MANAGED_ONLY_SINCE} or later), or remove allowManagedHooksOnly`,
    };
  }
  if (clientBelow(client, PLUGIN_HOOKS_UNDER_MANAGED_ONLY_SINCE)) {
    return {
      file,
      message: `managed settings set allowManagedHooksOnly and enable spine's plugin, but Claude Code ${clientVersion(client)} runs no plugin hooks: ${off}`,
      fix: `update Claude Code to ${PLUGIN_HOOKS_UNDER_MANAGED_ONLY_SINCE} or later, or remove allowManagedHooksOnly from the managed settings`,
    };
  }
  return undefined;
}
