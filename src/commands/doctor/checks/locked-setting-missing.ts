import { SETTINGS_FILE } from '../../../core/render/desired-state.js';
import { type Check, describeEntry, entryPath, entryStates, finding, locate } from '../check.js';
import { addEntry } from './locked-rule-missing.js';

/** A locked env value or setting (other than bypass mode, see bypass-enabled) removed or changed. */
export const lockedSettingMissing: Check = {
  code: 'locked-setting-missing',
  check: (ctx) =>
    entryStates(ctx).flatMap(({ spine, state }) => {
      const { entry } = spine;
      if (entry.level !== 'locked' || (entry.kind !== 'env' && entry.kind !== 'setting')) return [];
      if (entry.key === 'permissions.disableBypassPermissionsMode' || state.state === 'in-force') return [];
      // The sandbox has its own findings (sandbox-*).
      if (entry.key.startsWith('sandbox.')) return [];
      const file = state.state === 'changed' ? state.file : SETTINGS_FILE;
      return [
        finding(
          'locked-setting-missing',
          'error',
          'settings',
          file,
          `locked ${describeEntry(entry)} (${entry.id}) is ${state.state}`,
          'run spine doctor --fix to restore it',
          { ...locate(ctx, file, entryPath(entry)), guardrail: entry.id, entry: entry.key },
        ),
      ];
    }),
  fix: (f, ctx) => addEntry(f.entry, ctx),
};
