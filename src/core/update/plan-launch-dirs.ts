import { entryFromLock } from '../effective-settings.js';
import { rebaseUnique } from '../launch-dirs/rebase-entries.js';
import type { Lock, LockedEntry } from '../lock/lock.js';
import { SETTINGS_FILE, type SettingsEntry } from '../render/desired-state.js';
import { mergeSettings } from '../settings/merge-settings.js';
import { mergeSettingsThreeWay } from './settings-three-way.js';
import type { PendingConflict, SettingsRow, UpdateWrite } from './types.js';

/** A launch directory the lock records, as the repo has it now. */
export interface LaunchDirNow {
  path: string;
  /** False when the directory itself is gone: it leaves the lock, nothing is written. */
  exists: boolean;
  /** Its `.claude/settings.json` (already parsed and valid), undefined when missing. */
  text: string | undefined;
}

export interface LaunchDirsUpdate {
  rows: SettingsRow[];
  pending: PendingConflict[];
  writes: UpdateWrite[];
  record: NonNullable<Lock['launchDirs']>;
}

/**
 * Each launch directory's settings, three-way like the root's (docs/monorepos.md): base is the
 * lock's entries rebased to the directory, theirs the new version's rebased, ours the file. A
 * team's edit in a package is kept the same way as at the root. A settings file that is gone
 * while its directory stays is written again whole: the client would start there with no rail.
 */
export function planLaunchDirs(input: {
  lock: Lock;
  theirs: readonly SettingsEntry[];
  dirs: readonly LaunchDirNow[];
  moves: { from: string; to: string }[];
}): LaunchDirsUpdate {
  const out: LaunchDirsUpdate = { rows: [], pending: [], writes: [], record: {} };
  const baseEntries = input.lock.settings.flatMap((e) => entryFromLock(e) ?? []);
  for (const dir of input.dirs) {
    if (!dir.exists) continue;
    const file = `${dir.path}/${SETTINGS_FILE}`;
    const known = new Set(input.lock.launchDirs?.[dir.path]?.team ?? []);
    const theirs = rebaseUnique(input.theirs, dir.path);
    if (dir.text === undefined) {
      const merged = mergeSettings(undefined, theirs);
      out.writes.push({ path: file, content: Buffer.from(merged.text) });
      out.rows.push({ sign: '+', key: SETTINGS_FILE, path: dir.path, note: 'was missing: written again' });
      out.record[dir.path] = known.size > 0 ? { team: [...known].sort() } : {};
      continue;
    }
    const base = rebaseUnique(baseEntries, dir.path).map<LockedEntry>((e) => ({
      key: e.key,
      id: e.id,
      level: e.level,
      value: e.value,
      owner: known.has(e.key) ? 'team' : 'spine',
    }));
    const merged = mergeSettingsThreeWay({ text: dir.text, base, theirs, moves: input.moves });
    if (merged.changed) out.writes.push({ path: file, content: Buffer.from(merged.text) });
    out.rows.push(...merged.rows.map((row) => ({ ...row, path: dir.path })));
    out.pending.push(...merged.pending.map((p) => ({ ...p, path: file })));
    const team = [...new Set([...known, ...merged.presentBefore])].sort();
    out.record[dir.path] = team.length > 0 ? { team } : {};
  }
  return out;
}
