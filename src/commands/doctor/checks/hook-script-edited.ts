import { LEGACY_HOOK_SCRIPT } from '../../../core/render/desired-state.js';
import { type Check, fileState, finding, hookLevel, severityOf } from '../check.js';

/** The hook runtime or its policy file changed: what runs on every tool call is not spine's. */
export const hookScriptEdited: Check = {
  code: 'hook-script-edited',
  check: (ctx) =>
    Object.entries(ctx.lock.files)
      // The script of earlier releases has its own check: hook-script-outdated.
      .filter(([path, f]) => (f.kind === 'hook' || f.kind === 'policy') && path !== LEGACY_HOOK_SCRIPT)
      .flatMap(([path]) => {
        const state = fileState(ctx, path);
        if (state === 'intact') return [];
        return [
          finding(
            'hook-script-edited',
            severityOf(hookLevel(ctx)),
            'hooks',
            path,
            state === 'missing' ? 'the spine hook file is missing' : 'the spine hook file was edited',
            'run spine doctor --fix to restore it',
          ),
        ];
      }),
  fix: (f) => [{ kind: 'restore-file', path: f.path }],
};
