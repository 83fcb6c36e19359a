import { SETTINGS_FILE } from '../../../core/render/desired-state.js';
import {
  type Check,
  describeEntry,
  entryPath,
  entryStates,
  finding,
  locate,
  recordedWaiver,
} from '../check.js';
import { addEntry } from './locked-rule-missing.js';

/** A `default` guardrail weakened with no waiver recorded (waivered ones are waiver-* findings). */
export const defaultWeakened: Check = {
  code: 'default-weakened',
  check: (ctx) =>
    entryStates(ctx).flatMap(({ spine, state }) => {
      const { entry } = spine;
      if (entry.level !== 'default' || entry.kind === 'hook' || state.state === 'in-force') return [];
      if (recordedWaiver(ctx, entry.id)) return [];
      // The sandbox has its own findings (sandbox-*); widening entries are never weakenings.
      if (entry.key.startsWith('sandbox.')) return [];
      const how =
        state.state === 'allowed'
          ? 'turned into an allow rule'
          : state.state === 'demoted'
            ? 'weakened to ask'
            : state.state;
      return [
        finding(
          'default-weakened',
          'warning',
          'permissions',
          SETTINGS_FILE,
          `${describeEntry(entry)} of default guardrail ${entry.id} is ${how}, with no waiver`,
          `run spine doctor --fix to restore it, or record a waiver for ${entry.id} in .spine/local.yaml`,
          { ...locate(ctx, SETTINGS_FILE, entryPath(entry)), guardrail: entry.id, entry: entry.key },
        ),
      ];
    }),
  fix: (f, ctx) => addEntry(f.entry, ctx),
};
