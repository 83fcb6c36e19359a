import type { LaunchDirConfig, SkippedDir } from '../../core/launch-dirs/select.js';
import {
  type LaunchDirSettings,
  type LaunchDirVerdict,
  launchDirJudge,
} from '../../core/launch-dirs/verdict.js';
import type { Lock } from '../../core/lock/lock.js';
import { forbiddenPath } from '../../core/managed-paths.js';
import {
  LOCAL_SETTINGS_FILE,
  LOCK_FILE,
  SETTINGS_FILE,
  type SettingsEntry,
} from '../../core/render/desired-state.js';
import type { ZoneMap } from '../../core/zones/zone-map.js';
import { UserError } from '../../errors.js';
import { zoneMatcher } from '../../hooks/zones.js';
import { readInRepo } from '../../io/transaction/index.js';
import type { GitListing } from '../../team/git-status-files.js';
import { launchDirKind } from '../../team/launch-dir-files.js';
import { scanLaunchDirs } from '../../team/launch-dirs.js';
import { parseSettingsFile } from '../../team/parse-team.js';

/**
 * Every launch directory of the repo as it is now (the scan init does, and every directory the
 * lock records), each with its project settings files parsed as the client reads them. A settings
 * file the client would drop is reported (`file: 'dropped'`), never thrown: doctor names the hole.
 */
export async function loadLaunchDirs(
  root: string,
  lock: Lock,
  config: LaunchDirConfig | undefined,
  cacheDir: string,
  listing?: Promise<GitListing>,
): Promise<{ dirs: LaunchDirSettings[]; skipped: SkippedDir[] }> {
  const scan = await scanLaunchDirs(root, config, listing);
  const reasons = new Map(scan.dirs.map((d) => [d.path, d.reasons]));
  for (const path of Object.keys(lock.launchDirs ?? {})) {
    const refusal =
      forbiddenPath(path) ?? (path.split('/').includes('.claude') ? 'is spine state' : undefined);
    if (refusal)
      throw new UserError(`invalid lock: launch directory "${path}" ${refusal}`, { file: LOCK_FILE });
    if (!reasons.has(path)) reasons.set(path, ['recorded in the lock']);
  }
  const out: LaunchDirSettings[] = [];
  for (const [path, why] of [...reasons].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (launchDirKind(root, path) !== 'dir') continue;
    const dir: LaunchDirSettings = {
      path,
      reasons: why,
      recorded: lock.launchDirs?.[path] !== undefined,
      layers: [],
      file: 'missing',
    };
    for (const name of [SETTINGS_FILE, LOCAL_SETTINGS_FILE]) {
      const file = `${path}/${name}`;
      const content = readInRepo(root, file);
      if (!content) continue;
      const parsed = await parseSettingsFile(file, content, cacheDir);
      const dropped = !parsed.json || parsed.problems.some((p) => p.code === 'settings-dropped');
      if (name === SETTINGS_FILE) {
        dir.file = dropped ? 'dropped' : 'present';
        dir.text = content.toString('utf8');
      } else dir.localText = content.toString('utf8');
      if (!dropped) dir.layers.push({ file, value: parsed.json!.value });
    }
    out.push(dir);
  }
  return { dirs: out, skipped: scan.skipped };
}

/** Every launch directory judged against the spine's entries: does it carry them, or a waiver. */
export async function judgeLaunchDirs(
  root: string,
  lock: Lock,
  config: LaunchDirConfig | undefined,
  cacheDir: string,
  guard: {
    entries: SettingsEntry[];
    waived: (id: string, dir: string) => boolean;
    zoneOf?: (dir: string) => string | undefined;
  },
  listing?: Promise<GitListing>,
): Promise<{ dirs: LaunchDirVerdict[]; skipped: SkippedDir[] }> {
  const judge = launchDirJudge(guard.entries, guard.waived, guard.zoneOf);
  const found = await loadLaunchDirs(root, lock, config, cacheDir, listing);
  return { dirs: found.dirs.map(judge), skipped: found.skipped };
}

/** The team zone of a launch directory, as the hook labels a session started there. */
export function zoneOfDir(root: string, zones: ZoneMap | undefined): (dir: string) => string | undefined {
  if (!zones) return () => undefined;
  const match = zoneMatcher(zones.rules, root, '/nonexistent-home');
  return (dir) => match(`${root.replace(/\/+$/, '')}/${dir}`);
}
