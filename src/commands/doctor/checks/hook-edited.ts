import { isDeepStrictEqual } from 'node:util';
import { LEGACY_HOOK_SCRIPT, SETTINGS_FILE } from '../../../core/render/desired-state.js';
import { type LegacyHookReason, legacyHookGroups } from '../../../core/render/settings-entries.js';
import {
  activeWaiver,
  type Check,
  entryStates,
  type FixEdit,
  finding,
  locate,
  severityOf,
} from '../check.js';
import { canMoveHookScript } from '../hook-script-move.js';

const OUTDATED: Record<LegacyHookReason, (event: string, id: string) => string> = {
  waits: (event, id) =>
    `the spine ${event} hook (${id}) has the older wiring that makes the agent wait for it`,
  'ca-bundle': (event, id) =>
    `the spine ${event} hook (${id}) has the older command line that starts it with the CA bundle of NODE_EXTRA_CA_CERTS`,
  'es-module': (event, id) =>
    `the spine ${event} hook (${id}) runs the hook script of earlier releases (spine-hook.mjs), which starts slower`,
};

/** A spine hook group still there but changed (command, matcher or timeout). */
export const hookEdited: Check = {
  code: 'hook-edited',
  check: (ctx) =>
    entryStates(ctx).flatMap(({ spine, state }) => {
      const { entry } = spine;
      if (entry.kind !== 'hook' || state.state !== 'changed') return [];
      if (entry.level === 'default' && activeWaiver(ctx, entry.id)) return [];
      // The wiring an earlier spine release wrote (every event synchronous, or the command line
      // before the CA hand-over) is not an edit: it still audits and guards, it only makes the
      // agent wait or start slower. A warning, fixed the same way.
      const value = plainJson(state.value);
      const legacy = legacyHookGroups(entry.event).find((l) => isDeepStrictEqual(value, l.group));
      const outdated = legacy !== undefined;
      return [
        finding(
          'hook-edited',
          outdated ? 'warning' : severityOf(entry.level),
          'hooks',
          state.file,
          outdated
            ? OUTDATED[legacy.reason](entry.event, entry.id)
            : `the spine ${entry.event} hook (${entry.id}) was changed`,
          state.file === SETTINGS_FILE
            ? outdated
              ? 'run spine doctor --fix (or spine update) to write today’s wiring'
              : 'run spine doctor --fix to restore it'
            : `restore it in ${state.file} or remove the edited copy`,
          {
            ...locate(ctx, state.file, ['hooks', entry.event, state.index ?? 0]),
            guardrail: entry.id,
            entry: entry.key,
          },
        ),
      ];
    }),
  fix: (f, ctx): FixEdit[] => {
    const spine = ctx.entries.find((e) => e.entry.key === f.entry);
    if (spine?.entry.kind !== 'hook' || f.path !== SETTINGS_FILE) return [];
    const state = entryStates(ctx).find((s) => s.spine === spine)?.state;
    if (state?.state !== 'changed' || state.index === undefined) return [];
    // Today's command runs spine-hook.cjs: only where that script can be written with it.
    if (ctx.lock.files[LEGACY_HOOK_SCRIPT] && !canMoveHookScript(ctx)) return [];
    return [
      { kind: 'replace-hook', event: spine.entry.event, index: state.index, value: spine.entry.value },
      ...(ctx.lock.files[LEGACY_HOOK_SCRIPT] ? [{ kind: 'move-hook-script' as const }] : []),
    ];
  },
};

/** Settings parsed with positions have null prototypes; compare as plain JSON. */
function plainJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
