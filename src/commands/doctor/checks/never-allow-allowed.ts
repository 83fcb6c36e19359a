import { patternCovers } from '../../../core/permission-rule.js';
import { type Check, finding, locate } from '../check.js';

/** An allow rule in any settings file that a spine neverAllow pattern forbids. */
export const neverAllowAllowed: Check = {
  code: 'never-allow-allowed',
  check: (ctx) =>
    ctx.effective.rules.allow.flatMap((allow) => {
      const broken = ctx.spine.permissions.neverAllow.filter((never) =>
        patternCovers(never.pattern, allow.rule),
      );
      if (broken.length === 0) return [];
      const never = broken[0]!;
      const ids = broken.map((n) => `${n.id} ("${n.pattern}")`).join(', ');
      return [
        finding(
          'never-allow-allowed',
          'error',
          'permissions',
          allow.file,
          `allow rule "${allow.rule}" is forbidden by neverAllow ${ids}: ${never.why}`,
          'remove the allow rule, or allow a narrower command',
          { ...locate(ctx, allow.file, ['permissions', 'allow', allow.index]), guardrail: never.id },
        ),
      ];
    }),
};
