import { type EffectiveSettings, valuesAt } from '../../../core/effective-settings.js';
import type { SandboxWriteEntry } from '../../../core/sandbox/store-exposure.js';

const FILESYSTEM = ['sandbox', 'filesystem'];

/**
 * The sandbox's allowWrite and denyWrite entries across the effective settings, each with the file
 * it comes from; undefined where the sandbox is not on, so nothing the agent runs is confined.
 */
export function sandboxWriteLists(
  effective: EffectiveSettings,
): { allowWrite: SandboxWriteEntry[]; denyWrite: SandboxWriteEntry[] } | undefined {
  if (valuesAt(effective, ['sandbox', 'enabled']).at(-1)?.value !== true) return undefined;
  const list = (key: string): SandboxWriteEntry[] =>
    valuesAt(effective, [...FILESYSTEM, key]).flatMap(({ file, value }) =>
      Array.isArray(value)
        ? value.filter((e) => typeof e === 'string').map((entry) => ({ entry, file }))
        : [],
    );
  return { allowWrite: list('allowWrite'), denyWrite: list('denyWrite') };
}
