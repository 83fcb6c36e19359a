import { type Check, describeEntry, entryStates, finding, locate } from '../check.js';

/**
 * An allow rule identical to a spine deny/ask rule. Claude Code still applies the deny/ask (deny
 * before ask before allow), so nothing is weakened today, but it is an attempt to: report it.
 */
export const allowShadowsRule: Check = {
  code: 'allow-shadows-rule',
  check: (ctx) =>
    entryStates(ctx).flatMap(({ spine, state }) => {
      const { entry } = spine;
      if (state.state !== 'in-force' || entry.kind !== 'rule') return [];
      return state.alsoAllowed.map((where) =>
        finding(
          'allow-shadows-rule',
          'warning',
          'permissions',
          where.file,
          `allow rule "${where.rule}" repeats the spine's ${describeEntry(entry)} (${entry.id}); the ${entry.list} rule still wins`,
          'remove the allow rule: it has no effect and hides the intent of the guardrail',
          {
            ...locate(ctx, where.file, ['permissions', 'allow', where.index]),
            guardrail: entry.id,
            entry: entry.key,
          },
        ),
      );
    }),
};
