import { SETTINGS_FILE } from '../../../core/render/desired-state.js';
import { activeWaiver, type Check, entryStates, finding, locate, severityOf } from '../check.js';
import { addEntry } from './locked-rule-missing.js';

/** A spine hook group (audit/guard) gone from an event. */
export const hookMissing: Check = {
  code: 'hook-missing',
  check: (ctx) =>
    entryStates(ctx).flatMap(({ spine, state }) => {
      const { entry } = spine;
      if (entry.kind !== 'hook' || state.state !== 'missing') return [];
      if (entry.level === 'default' && activeWaiver(ctx, entry.id)) return [];
      return [
        finding(
          'hook-missing',
          severityOf(entry.level),
          'hooks',
          SETTINGS_FILE,
          `the spine ${entry.event} hook (${entry.id}) was removed: events are no longer audited${entry.event === 'PreToolUse' ? ' or guarded' : ''}`,
          'run spine doctor --fix to restore it',
          { ...locate(ctx, SETTINGS_FILE, ['hooks', entry.event]), guardrail: entry.id, entry: entry.key },
        ),
      ];
    }),
  fix: (f, ctx) => addEntry(f.entry, ctx),
};
