import { realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { InstalledClient } from '../../core/client/support.js';
import { type EffectiveSettings, effectiveSettings, entryFromLock } from '../../core/effective-settings.js';
import type { Finding } from '../../core/findings.js';
import type { LaunchDirVerdict } from '../../core/launch-dirs/verdict.js';
import { executablePaths, expectedExecutable, type Lock, type LockedEntry } from '../../core/lock/lock.js';
import type { Problem } from '../../core/problems.js';
import {
  CI_WORKFLOW,
  type DesiredState,
  LEGACY_HOOK_SCRIPT,
  LOCAL_FILE,
  LOCAL_SETTINGS_FILE,
  LOCK_FILE,
  SETTINGS_FILE,
  type SettingsEntry,
} from '../../core/render/desired-state.js';
import { legacyHookReason } from '../../core/render/settings-entries.js';
import { repoFindings } from '../../core/repo-findings.js';
import { repoIdFromUrl } from '../../core/repo-id.js';
import type { StoreDir } from '../../core/sandbox/store-exposure.js';
import { secretFileMatcher } from '../../core/secret-files.js';
import type { JsonFile } from '../../core/settings/settings-json.js';
import { ZONES_FILE } from '../../core/zones/zone-map.js';
import { UserError } from '../../errors.js';
import type { ManagedSettingsOnMachine } from '../../io/managed-settings.js';
import {
  isPlainFileInRepo,
  previewRecovery,
  type Recovery,
  readInRepo,
  readInRepoWithMode,
  sealStore,
} from '../../io/transaction/index.js';
import { TXN_JOURNAL } from '../../io/transaction/journal.js';
import type { Level, Spine } from '../../spine/model.js';
import type { OpenRepo } from '../../spine/sources/git-source.js';
import { isSafeRelativePath } from '../../spine/tree.js';
import { readGitFileFacts, takeGitListing } from '../../team/git-status-files.js';
import { onboardedRoot } from '../../team/onboarded-root.js';
import { readOriginUrl } from '../../team/origin.js';
import type { LocalConfig } from '../../team/parse-team.js';
import { listSkillFolders, type SkillFolder } from '../../team/skill-folders.js';
import { unknownMaskMode, unknownTopLevelKeys } from './client-checks.js';
import { checkSource, loadLockedSpine } from './locked-spine.js';
import { evaluateWaivers, type WaiverState } from './waivers.js';

export interface SettingsFileState {
  file: string;
  text?: string;
  json?: JsonFile;
  problems: Problem[];
  /** Claude Code would ignore this whole file (a known key with a wrong type or value). */
  dropped: boolean;
}

export interface SpineEntry {
  locked: LockedEntry;
  entry: SettingsEntry;
}

/** What the locked source says now (git sources only; see checkLockedSource). */
export interface SourceStatus {
  commitExists: boolean;
  tagMoved?: { tag: string; locked: string; now: string };
  latestRelease?: string;
  releasesAhead?: number;
  /** The spine's repository as the check opened it (loadLockedSpine reads the commit from it). */
  opened?: OpenRepo;
}

/** Everything the checks read, loaded once; checks are pure functions of it. */
export interface DoctorContext {
  root: string;
  /** YYYY-MM-DD (UTC): waivers expire against it. */
  today: string;
  offline: boolean;
  lock: Lock;
  settingsFiles: SettingsFileState[];
  /** Every settings file that parses, dropped or not: what the repo says. */
  written: EffectiveSettings;
  /** Only the files Claude Code keeps: what it applies. */
  effective: EffectiveSettings;
  /** Spine-owned settings entries from the lock (allow rules excluded: removing one is stricter). */
  entries: SpineEntry[];
  /** Guardrail id → level, from the lock and the locked spine. */
  levels: Map<string, Level>;
  local: LocalConfig;
  localText?: string;
  waivers: WaiverState[];
  spine: Spine;
  desired: DesiredState;
  /** Current bytes of every managed file of the lock (undefined = missing). */
  managed: Map<string, Buffer | undefined>;
  /** Managed files of the lock that have an x bit now. */
  executable: Set<string>;
  /**
   * The lock records the hook script of an earlier release (spine-hook.mjs); `plain` when it is a
   * regular file reached through no link, the only kind --fix may remove.
   */
  legacyHookScript?: { plain: boolean };
  /**
   * False when git ignores modes here (`core.fileMode=false`, which git sets on a file system
   * that does not keep them): a mode that differs is then not drift. Asked only when one differs.
   */
  modesKept: boolean;
  claudeMd?: string;
  /** The entries of .claude/skills/, symlinked folders classified as the client reads them. */
  skillFolders: SkillFolder[];
  /**
   * A transaction journal in the repo: what recovery would do with it, or why spine will not act
   * on it (a journal spine did not write, or one naming paths no spine command writes).
   */
  interruptedWrite?: { recovery: Recovery } | { untrusted: string };
  /** What the repository's git state does to the guardrails (core/repo-findings), by code. */
  repoFindings: Finding[];
  source?: SourceStatus;
  /** The `claude` on this machine: settings are judged by what it honours. */
  client?: InstalledClient;
  /** The managed settings file source on this machine, when there is one. */
  managedSettings?: ManagedSettingsOnMachine;
  /** Every launch directory (docs/monorepos.md) and whether it carries the spine's settings. */
  launchDirs: LaunchDirVerdict[];
  /** The team zone of a directory (docs/monorepos.md), in a repo teams share. */
  zoneOf: (dir: string) => string | undefined;
  /** Candidates left alone: excluded in .spine/local.yaml, or a link (named, never followed out). */
  skippedLaunchDirs: { path: string; reason: string }[];
  /**
   * This machine's home directory, spine's stores on it (store-writable) and the directories on
   * the PATH of the person running doctor (sandbox-writes-path).
   */
  machine?: Machine;
}

export interface ContextOptions {
  cwd: string;
  offline: boolean;
  cacheDir: string;
  /** Where the seals of spine's journals are kept (outside the repo). */
  stateDir: string;
  today: string;
  client?: InstalledClient;
  managedSettings?: ManagedSettingsOnMachine;
  /** --json: no progress lines (they go to a terminal's stderr only). */
  json?: boolean;
  machine?: Machine;
}

export interface Machine {
  home: string;
  stores: StoreDir[];
  /** PATH entries: as written, and the absolute directory (a link's target is a second item). */
  path?: PathDir[];
}

export interface PathDir {
  entry: string;
  dir: string;
}

/** Reads the team repo and its locked spine once; bad input is a UserError (exit 2). */
export async function loadContext(options: ContextOptions): Promise<DoctorContext> {
  const root = findRoot(options.cwd);
  // git lists the repository's files while the spine loads (or has been since doctor started:
  // doctor-main.ts); the git file facts and the launch directory scan share this one listing.
  const listing = takeGitListing(root);
  listing.catch(() => {}); // awaited below; a failure is reported where the scan needs it
  const read = (path: string) => readInRepo(root, path);
  const { parseLock, parseLocalConfig, parseSettingsFile, problemToError, throwOnErrors } = await import(
    '../../team/parse-team.js'
  );

  const lock = await parseLock(LOCK_FILE, read(LOCK_FILE)!, options.cacheDir);
  for (const path of Object.keys(lock.files)) {
    if ((!path.startsWith('.claude/') && path !== CI_WORKFLOW) || !isSafeRelativePath(path))
      throw new UserError(`invalid lock: managed path "${path}" is outside .claude/`, { file: LOCK_FILE });
  }
  const pending = Array.isArray(lock.pending) && lock.pending.length > 0;

  const settingsFiles: SettingsFileState[] = [];
  for (const file of [SETTINGS_FILE, LOCAL_SETTINGS_FILE]) {
    const content = read(file);
    if (!content) continue;
    const parsed = await parseSettingsFile(file, content, options.cacheDir);
    const text = content.toString('utf8');
    if (!parsed.json) {
      const conflict = pending || /^<{7} /m.test(text);
      throw problemToError(
        parsed.problems[0]!,
        conflict
          ? 'unresolved update conflict (finish it with spine update --continue or --abort)'
          : undefined,
      );
    }
    const problems = [
      ...parsed.problems,
      ...unknownTopLevelKeys(parsed.json),
      ...unknownMaskMode(file, parsed.json, options.client),
    ];
    const dropped = problems.some((p) => p.code === 'settings-dropped');
    settingsFiles.push({ file, text, json: parsed.json, problems, dropped });
  }
  const layers = settingsFiles.map((s) => ({ file: s.file, value: s.json!.value }));

  const localContent = read(LOCAL_FILE);
  const localText = localContent?.toString('utf8');
  let local: LocalConfig = { waivers: [] };
  if (localContent) {
    const parsed = await parseLocalConfig(LOCAL_FILE, localContent, options.cacheDir);
    throwOnErrors(parsed.problems);
    local = parsed.config!;
  }

  const { readZoneMap } = await import('../../team/zones.js');
  const zones = await readZoneMap(root, local, localText);
  const source = await checkSource(lock, root, options);
  const attribution = { champion: local.champion, repo: repoIdFromUrl(readOriginUrl(root)) };
  const { spine, desired } = await loadLockedSpine(
    lock,
    root,
    options,
    local.team ?? basename(root),
    attribution,
    source,
    zones,
  );

  // Telemetry attribution follows the team as it is now (local.yaml, origin), not as it was at
  // init: a renamed team or a new champion makes the written value stale, and --fix rewrites it.
  const rendered = new Map(desired.settings.map((e) => [e.key, e]));
  // A lock written by an earlier release records that release's hook wiring (spine-hook.mjs, the
  // synchronous events, the command line that loads the CA bundle): today's is what is wanted, so
  // the settings still carrying the old one are named outdated (hook-edited) and --fix moves them.
  const current = (entry: SettingsEntry): SettingsEntry =>
    entry.key === 'env:OTEL_RESOURCE_ATTRIBUTES' ||
    (entry.kind === 'hook' && legacyHookReason(entry.event, entry.value) !== undefined)
      ? (rendered.get(entry.key) ?? entry)
      : entry;
  const entries: SpineEntry[] = [];
  // Launch directories are judged against the lock as written: only update moves them.
  const lockedEntries: SettingsEntry[] = [];
  for (const locked of lock.settings) {
    const entry = entryFromLock(locked);
    if (!entry)
      throw new UserError(`invalid lock: unknown settings entry "${locked.key}"`, { file: LOCK_FILE });
    if (entry.kind !== 'rule' || entry.list !== 'allow') {
      entries.push({ locked, entry: current(entry) });
      lockedEntries.push(entry);
    }
  }
  const levels = guardrailLevels(spine, lock);
  const gitFiles = await readGitFileFacts(root, listing);

  const managed = new Map<string, Buffer | undefined>();
  const executable = new Set<string>();
  // The zone map is read even before the lock records it: zone-map-stale compares it.
  for (const path of new Set([...Object.keys(lock.files), ZONES_FILE])) {
    const file = readInRepoWithMode(root, path);
    managed.set(path, file?.content);
    if (file?.executable) executable.add(path);
  }
  const spineExecutable = executablePaths(desired);
  const modeDiffers = Object.entries(lock.files).some(
    ([path, f]) =>
      managed.get(path) !== undefined &&
      executable.has(path) !== expectedExecutable(f, spineExecutable.has(path)),
  );

  const waivers = evaluateWaivers(
    local.waivers,
    levels,
    spine.manifest.policy.waivers,
    options.today,
    localText,
  );
  const counted = waivers.filter((w) => w.state === 'active' || w.state === 'expired');
  const { judgeLaunchDirs, zoneOfDir } = await import('./launch-dirs.js');
  const zoneOf = zoneOfDir(root, zones);
  // A waiver scoped to a zone counts only in that team's launch directories.
  const found = await judgeLaunchDirs(
    root,
    lock,
    local.launchDirs,
    options.cacheDir,
    {
      entries: lockedEntries,
      waived: (id, dir) =>
        counted.some(
          (w) =>
            w.waiver.rule === id &&
            (w.waiver.zone === undefined || w.waiver.zone.toLowerCase() === zoneOf(dir)?.toLowerCase()),
        ),
      zoneOf,
    },
    listing,
  );

  return {
    root,
    today: options.today,
    offline: options.offline,
    lock,
    settingsFiles,
    written: effectiveSettings(layers),
    effective: effectiveSettings(layers.filter((_, i) => !settingsFiles[i]!.dropped)),
    entries,
    levels,
    local,
    localText,
    waivers,
    spine,
    desired,
    managed,
    executable,
    ...(lock.files[LEGACY_HOOK_SCRIPT]
      ? { legacyHookScript: { plain: isPlainFileInRepo(root, LEGACY_HOOK_SCRIPT) } }
      : {}),
    ...(options.machine ? { machine: options.machine } : {}),
    modesKept: modeDiffers ? await gitKeepsModes(root) : true,
    claudeMd: read('CLAUDE.md')?.toString('utf8'),
    skillFolders: listSkillFolders(root),
    source,
    interruptedWrite: read(TXN_JOURNAL) !== undefined ? interruptedWrite(root, options.stateDir) : undefined,
    repoFindings: repoFindings(gitFiles, secretFileMatcher(spine)),
    ...(options.client ? { client: options.client } : {}),
    ...(options.managedSettings ? { managedSettings: options.managedSettings } : {}),
    launchDirs: found.dirs,
    zoneOf,
    skippedLaunchDirs: found.skipped,
  };
}

/** git's own answer: does this repository track the x bit (`core.fileMode`, default true)? */
async function gitKeepsModes(root: string): Promise<boolean> {
  const { git } = await import('../../io/git.js');
  try {
    return (await git(root, ['config', '--type=bool', '--get', 'core.fileMode'])) !== 'false';
  } catch {
    return true; // unset (exit 1) or not a git repository: modes are kept
  }
}

/** Guardrail levels from the locked spine and the lock; where they disagree, locked wins. */
function guardrailLevels(spine: Spine, lock: Lock): Map<string, Level> {
  const levels = new Map<string, Level>();
  const add = (id: string, level: Level) => {
    if (levels.get(id) !== 'locked') levels.set(id, level);
  };
  for (const g of spine.permissions.rules) add(g.id, g.level);
  for (const p of spine.secrets.paths) add(p.id, p.level);
  for (const g of [spine.permissions.bypassMode, spine.secrets.guard, spine.audit]) if (g) add(g.id, g.level);
  for (const e of lock.settings) add(e.id, e.level);
  return levels;
}

/** The nearest directory at or above cwd with a lock: doctor works from any subdirectory. */
export function findRoot(cwd: string): string {
  const root = onboardedRoot(cwd);
  if (root === undefined) {
    throw new UserError(`not onboarded: no ${LOCK_FILE} here or above (run "spine init" first)`, {
      file: join(cwd, LOCK_FILE),
    });
  }
  return root;
}

/** What the next writer would do with the journal it finds, read-only. */
function interruptedWrite(root: string, stateDir: string): DoctorContext['interruptedWrite'] {
  try {
    const recovery = previewRecovery(root, sealStore(stateDir, realpathSync(root)));
    return recovery ? { recovery } : undefined;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { untrusted: error.message };
  }
}
