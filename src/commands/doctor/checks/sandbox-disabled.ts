import type { Check } from '../check.js';
import { addEntry } from './locked-rule-missing.js';
import { sandboxEntryFindings, stateText } from './sandbox-weakened.js';

/** `sandbox.enabled` turned off (in settings.json or settings.local.json) or removed. */
export const sandboxDisabled: Check = {
  code: 'sandbox-disabled',
  check: (ctx) =>
    sandboxEntryFindings(
      ctx,
      'sandbox-disabled',
      (e) => e.entry.key === 'sandbox.enabled',
      (_, state) =>
        `the OS sandbox is off: sandbox.enabled is ${stateText(state)}; Bash commands can read secret files again`,
      'run spine doctor --fix to restore "sandbox": {"enabled": true}',
    ),
  fix: (f, ctx) => addEntry(f.entry, ctx),
};
