import { type EntryState, effectiveSettings, entryState, type SettingsLayer } from '../effective-settings.js';
import type { SettingsEntry } from '../render/desired-state.js';
import { rebaseUnique } from './rebase-entries.js';

/** A launch directory's settings as doctor found them. */
export interface LaunchDirSettings {
  path: string;
  /** Why it is a launch directory (the scan's reasons; `recorded in the lock` when only the lock names it). */
  reasons: string[];
  /** Whether the lock records it (init or --fix guarded it). */
  recorded: boolean;
  /** `.claude/settings.json` and `.claude/settings.local.json` that parse, lowest precedence first. */
  layers: SettingsLayer[];
  /** The settings file is missing, or Claude Code would drop it (then `layers` leaves it out). */
  file: 'present' | 'missing' | 'dropped';
  /** The settings file's text, when present (what --fix merges into). */
  text?: string;
  /** `.claude/settings.local.json`'s text, when present. */
  localText?: string;
}

export type LaunchDirState = 'guarded' | 'unguarded' | 'weakened';

export interface LaunchDirVerdict extends LaunchDirSettings {
  state: LaunchDirState;
  /** The spine's entries rebased to the directory (what init writes there). */
  wanted: SettingsEntry[];
  /** Rebased entries not in force here at all. */
  missing: SettingsEntry[];
  /** Rebased entries present but weakened (moved to allow, deny made ask, another value). */
  weakened: {
    entry: SettingsEntry;
    state: Exclude<EntryState, { state: 'in-force' } | { state: 'missing' }>;
  }[];
}

/**
 * Pure: is the directory carrying the spine? Judged like the root (`entryState` over both of its
 * project settings files), against `wanted`, the root's entries rebased to it (docs/monorepos.md).
 * `waived` says which default guardrails the team has a waiver for: those are not counted.
 */
export function judgeLaunchDir(
  dir: LaunchDirSettings,
  wanted: SettingsEntry[],
  waived: (id: string) => boolean = () => false,
): LaunchDirVerdict {
  const settings = effectiveSettings(dir.layers);
  const missing: SettingsEntry[] = [];
  const weakened: LaunchDirVerdict['weakened'] = [];
  for (const entry of wanted) {
    if (entry.level !== 'locked' && waived(entry.id)) continue;
    const state = entryState(settings, entry);
    if (state.state === 'missing') missing.push(entry);
    else if (state.state !== 'in-force') weakened.push({ entry, state });
  }
  const state: LaunchDirState =
    dir.file !== 'present' || missing.length > 0 ? 'unguarded' : weakened.length > 0 ? 'weakened' : 'guarded';
  return { ...dir, state, wanted, missing, weakened };
}

/**
 * judgeLaunchDir for many directories: packages init guarded alike (same settings, same depth)
 * are judged once, so doctor on a monorepo of hundreds of packages costs little more than one.
 */
export function launchDirJudge(
  entries: readonly SettingsEntry[],
  /** Whether a default guardrail is waived in this directory (a waiver may be scoped to a zone). */
  waived: (id: string, dir: string) => boolean = () => false,
  /** The team zone of a directory: waivers scoped to a zone make directories judge differently. */
  zoneOf: (dir: string) => string | undefined = () => undefined,
): (dir: LaunchDirSettings) => LaunchDirVerdict {
  // Allow rules are never judged (removing one is stricter), so what a directory must carry
  // depends on its depth alone: rebased once per depth, judged once per depth and settings text.
  const judged = entries.filter((e) => e.kind !== 'rule' || e.list !== 'allow');
  const byDepth = new Map<number, SettingsEntry[]>();
  const seen = new Map<string, LaunchDirVerdict>();
  return (dir) => {
    const depth = dir.path.split('/').length;
    let wanted = byDepth.get(depth);
    if (!wanted) {
      wanted = rebaseUnique(judged, dir.path);
      byDepth.set(depth, wanted);
    }
    const key = [depth, zoneOf(dir.path) ?? '', dir.file, dir.text ?? '', dir.localText ?? ''].join('\0');
    const verdict = seen.get(key) ?? judgeLaunchDir(dir, wanted, (id) => waived(id, dir.path));
    seen.set(key, verdict);
    return { ...verdict, ...dir };
  };
}
