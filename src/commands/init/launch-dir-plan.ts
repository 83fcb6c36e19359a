import { rebaseEntries } from '../../core/launch-dirs/rebase-entries.js';
import type { LaunchDir, SkippedDir } from '../../core/launch-dirs/select.js';
import type { Lock } from '../../core/lock/lock.js';
import type { FileChange } from '../../core/plan.js';
import type { Problem } from '../../core/problems.js';
import { SETTINGS_FILE, type SettingsEntry } from '../../core/render/desired-state.js';
import { mergeSettings } from '../../core/settings/merge-settings.js';
import { UserError } from '../../errors.js';
import { readInRepo } from '../../io/transaction/index.js';
import type { LaunchDirScan } from '../../team/launch-dirs.js';
import { parseSettingsFile, throwOnErrors } from '../../team/parse-team.js';

export interface LaunchDirPlan {
  dirs: LaunchDir[];
  skipped: SkippedDir[];
  changes: FileChange[];
  record: NonNullable<Lock['launchDirs']>;
  warnings: Problem[];
}

/**
 * Every launch directory gets the spine's settings, rebased to it and merged into what it has.
 * A settings file the client would drop is refused as at the root, naming it; more directories
 * than the cap is refused with the count and the override.
 */
export async function planLaunchDirs(
  root: string,
  scanning: Promise<LaunchDirScan>,
  entries: readonly SettingsEntry[],
  previous: Lock | undefined,
): Promise<LaunchDirPlan> {
  const scan = await scanning;
  if (scan.overCap) {
    throw new UserError(
      `${scan.overCap.count} launch directories found, more than the cap of ${scan.overCap.max}: nothing written. ` +
        `Narrow them with launchDirs.exclude in .spine/local.yaml, or raise the cap there (launchDirs.max: ${scan.overCap.count})`,
      { file: '.spine/local.yaml' },
    );
  }
  const warnings: Problem[] = [...scan.problems];
  const changes: FileChange[] = [];
  const record: LaunchDirPlan['record'] = {};
  // Directories at one depth without settings of their own get the same file: merge it once.
  const fresh = new Map<string, ReturnType<typeof mergeSettings>>();
  for (const dir of scan.dirs) {
    const file = `${dir.path}/${SETTINGS_FILE}`;
    const content = readInRepo(root, file);
    if (content) warnings.push(...throwOnErrors((await parseSettingsFile(file, content)).problems));
    const text = content?.toString('utf8');
    const rebased = rebaseEntries(entries, dir.path);
    const key = text === undefined ? JSON.stringify(rebased) : undefined;
    const merged = (key && fresh.get(key)) || mergeSettings(text, rebased);
    if (key) fresh.set(key, merged);
    const known = previous?.launchDirs?.[dir.path];
    const team = known ? (known.team ?? []) : [...merged.present].sort();
    record[dir.path] = team.length > 0 ? { team } : {};
    if (text === undefined || merged.added.length > 0) {
      changes.push({
        path: file,
        action: text === undefined ? 'create' : 'update',
        content: Buffer.from(merged.text),
        note: `launch directory (${dir.reasons.join(', ')}): ${merged.added.length} spine entries`,
      });
    }
  }
  return { dirs: scan.dirs, skipped: scan.skipped, changes, record, warnings };
}
