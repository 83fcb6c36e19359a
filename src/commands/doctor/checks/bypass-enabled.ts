import { valuesAt } from '../../../core/effective-settings.js';
import type { Finding } from '../../../core/findings.js';
import { SETTINGS_FILE } from '../../../core/render/desired-state.js';
import { type Check, entryStates, finding, locate } from '../check.js';
import { addEntry } from './locked-rule-missing.js';

const DISABLE = 'permissions.disableBypassPermissionsMode';

/**
 * Permissions weakened globally: bypassPermissions turns every rule into a suggestion, and a
 * project file can switch it on even in an untrusted workspace (reference §9.2).
 */
export const bypassEnabled: Check = {
  code: 'bypass-enabled',
  check: (ctx) => {
    const findings: Finding[] = [];
    for (const { file, value } of valuesAt(ctx.effective, ['permissions', 'defaultMode'])) {
      if (value !== 'bypassPermissions') continue;
      findings.push(
        finding(
          'bypass-enabled',
          'error',
          'permissions',
          file,
          'defaultMode is bypassPermissions: every permission rule becomes a suggestion',
          'remove permissions.defaultMode or set it to "default"',
          { ...locate(ctx, file, ['permissions', 'defaultMode']) },
        ),
      );
    }
    for (const { spine, state } of entryStates(ctx)) {
      if (spine.entry.key !== DISABLE || spine.entry.level !== 'locked' || state.state === 'in-force')
        continue;
      const file = state.state === 'changed' ? state.file : SETTINGS_FILE;
      findings.push(
        finding(
          'bypass-enabled',
          'error',
          'permissions',
          file,
          `bypass mode re-enabled: permissions.disableBypassPermissionsMode is ${state.state === 'changed' ? `set to ${JSON.stringify(state.value)}` : 'missing'} (${spine.entry.id})`,
          'run spine doctor --fix to restore "disableBypassPermissionsMode": "disable"',
          {
            ...locate(ctx, file, ['permissions', 'disableBypassPermissionsMode']),
            guardrail: spine.entry.id,
            entry: DISABLE,
          },
        ),
      );
    }
    return findings;
  },
  fix: (f, ctx) => addEntry(f.entry, ctx),
};
