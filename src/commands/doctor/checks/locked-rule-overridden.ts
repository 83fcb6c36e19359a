import { type Check, describeEntry, entryStates, finding, locate } from '../check.js';
import { addEntry } from './locked-rule-missing.js';

/** A locked deny/ask rule moved to allow (or a deny moved to ask): the guardrail no longer holds. */
export const lockedRuleOverridden: Check = {
  code: 'locked-rule-overridden',
  check: (ctx) =>
    entryStates(ctx).flatMap(({ spine, state }) => {
      if (spine.entry.kind !== 'rule' || spine.entry.level !== 'locked') return [];
      if (state.state !== 'allowed' && state.state !== 'demoted') return [];
      const where = state.where[0]!;
      const turned = state.state === 'allowed' ? 'turned into an allow rule' : 'weakened from deny to ask';
      return [
        finding(
          'locked-rule-overridden',
          'error',
          'permissions',
          where.file,
          `locked ${describeEntry(spine.entry)} (${spine.entry.id}) was ${turned}`,
          `put it back in permissions.${spine.entry.list} (spine doctor --fix re-adds it; remove the ${where.list} rule yourself)`,
          {
            ...locate(ctx, where.file, ['permissions', where.list, where.index]),
            guardrail: spine.entry.id,
            entry: spine.entry.key,
          },
        ),
      ];
    }),
  fix: (f, ctx) => addEntry(f.entry, ctx),
};
