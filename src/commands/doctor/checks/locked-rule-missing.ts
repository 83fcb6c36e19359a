import { SETTINGS_FILE } from '../../../core/render/desired-state.js';
import { type Check, describeEntry, entryPath, entryStates, finding, locate } from '../check.js';

/** A locked deny/ask rule that no effective deny/ask rule provides any more. */
export const lockedRuleMissing: Check = {
  code: 'locked-rule-missing',
  check: (ctx) =>
    entryStates(ctx)
      .filter(({ spine }) => spine.entry.kind === 'rule' && spine.entry.level === 'locked')
      .filter(({ state }) => state.state === 'missing')
      .map(({ spine }) =>
        finding(
          'locked-rule-missing',
          'error',
          'permissions',
          SETTINGS_FILE,
          `locked ${describeEntry(spine.entry)} (${spine.entry.id}) is missing from the effective settings`,
          'run spine doctor --fix to restore it',
          {
            ...locate(ctx, SETTINGS_FILE, entryPath(spine.entry)),
            guardrail: spine.entry.id,
            entry: spine.entry.key,
          },
        ),
      ),
  fix: (f, ctx) => addEntry(f.entry, ctx),
};

export function addEntry(key: string | undefined, ctx: Parameters<Check['check']>[0]) {
  const spine = ctx.entries.find((e) => e.entry.key === key);
  return spine ? [{ kind: 'add-entry' as const, entry: spine.entry }] : [];
}
