import type { EntryState } from '../../../core/effective-settings.js';
import type { Finding } from '../../../core/findings.js';
import { SETTINGS_FILE } from '../../../core/render/desired-state.js';
import { describeEntry, entryPath, entryStates, finding, locate, recordedWaiver } from '../check.js';
import type { DoctorContext, SpineEntry } from '../context.js';

/**
 * The shared shape of the sandbox findings about spine entries: locked → error, default →
 * warning unless a waiver is recorded (then the waiver-* findings speak for it).
 */
export function sandboxEntryFindings(
  ctx: DoctorContext,
  code: string,
  select: (e: SpineEntry) => boolean,
  describe: (e: SpineEntry, state: EntryState) => string,
  fix: string,
): Finding[] {
  return entryStates(ctx).flatMap(({ spine, state }) => {
    if (!select(spine) || state.state === 'in-force') return [];
    const { entry } = spine;
    if (entry.level !== 'locked' && recordedWaiver(ctx, entry.id)) return [];
    const file = state.state === 'changed' ? state.file : SETTINGS_FILE;
    const where =
      state.state === 'changed'
        ? [...entryPath(entry), ...(state.index === undefined ? [] : [state.index])]
        : entryPath(entry);
    return [
      finding(
        code,
        entry.level === 'locked' ? 'error' : 'warning',
        'sandbox',
        file,
        `${describe(spine, state)} (${entry.id}, ${entry.level})`,
        entry.level === 'locked' ? fix : `${fix}, or record a waiver for ${entry.id} in .spine/local.yaml`,
        { ...locate(ctx, file, where), guardrail: entry.id, entry: entry.key },
      ),
    ];
  });
}

export function stateText(state: EntryState): string {
  return state.state === 'changed' ? `set to ${JSON.stringify(state.value)}` : 'missing';
}

export { describeEntry };
