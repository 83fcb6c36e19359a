import { valuesAt } from '../../../core/effective-settings.js';
import { type Check, finding, hookLevel, locate, severityOf } from '../check.js';

/** disableAllHooks in a project file turns off the audit log and the secret guard. */
export const hooksDisabled: Check = {
  code: 'hooks-disabled',
  check: (ctx) => {
    if (!ctx.entries.some((e) => e.entry.kind === 'hook')) return [];
    return valuesAt(ctx.effective, ['disableAllHooks'])
      .filter(({ value }) => value === true)
      .map(({ file }) =>
        finding(
          'hooks-disabled',
          severityOf(hookLevel(ctx)),
          'hooks',
          file,
          'disableAllHooks is true: the spine audit and guard hooks do not run',
          'remove disableAllHooks',
          locate(ctx, file, ['disableAllHooks']),
        ),
      );
  },
};
