import { LEGACY_HOOK_SCRIPT } from '../../../core/render/desired-state.js';
import { type Check, fileState, finding, hookLevel, severityOf } from '../check.js';

const MESSAGE = {
  intact:
    'the hook script of an earlier release (spine-hook.mjs): node starts its ES module loader before every run',
  edited: 'the hook script of an earlier release (spine-hook.mjs) was edited',
  missing: 'the hook script of an earlier release (spine-hook.mjs) is missing',
} as const;

/**
 * The lock still records the ES module hook of earlier releases. Intact, it guards as before and
 * only starts slower (warning); edited or missing, what the settings run is not spine's hook.
 * The fix writes spine-hook.cjs, rewrites the commands and removes the old file (hook-script-move.ts).
 */
export const hookScriptOutdated: Check = {
  code: 'hook-script-outdated',
  check: (ctx) => {
    if (!ctx.lock.files[LEGACY_HOOK_SCRIPT]) return [];
    const state = fileState(ctx, LEGACY_HOOK_SCRIPT);
    return [
      finding(
        'hook-script-outdated',
        state === 'intact' ? 'warning' : severityOf(hookLevel(ctx)),
        'hooks',
        LEGACY_HOOK_SCRIPT,
        MESSAGE[state],
        'run spine doctor --fix (or spine update) to move to spine-hook.cjs',
      ),
    ];
  },
  fix: () => [{ kind: 'move-hook-script' }],
};
