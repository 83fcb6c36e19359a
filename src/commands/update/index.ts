import { basename } from 'node:path';
import type { Problem } from '../../core/problems.js';
import { LOCK_FILE, SETTINGS_FILE } from '../../core/render/desired-state.js';
import { repoIdFromUrl } from '../../core/repo-id.js';
import { type ChangelogSection, changelogBetween } from '../../core/update/changelog.js';
import { lockedStillRemoved } from '../../core/update/locked-removed.js';
import { planUpdate } from '../../core/update/plan-update.js';
import type { FileRow, PendingConflict, SettingsRow } from '../../core/update/types.js';
import { ExitError, UserError } from '../../errors.js';
import { gitTopLevel } from '../../io/git.js';
import { journalWrites } from '../../io/journal.js';
import { diffFile, mergeFile } from '../../io/merge-file.js';
import { toolVersion } from '../../io/package-files.js';
import {
  executableInRepo,
  isPlainFileInRepo,
  type Recovery,
  type RepoWriter,
  readInRepo,
  type TxnHooks,
  withRepoWriter,
} from '../../io/transaction/index.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { sourceProgress } from '../../output/source-progress.js';
import { readLockedLaunchDirs } from '../../team/launch-dir-files.js';
import { readOriginUrl } from '../../team/origin.js';
import { parseLocalConfig, parseLock, parseSettingsFile, throwOnErrors } from '../../team/parse-team.js';
import { readTeamFiles } from '../../team/read-team.js';
import { readZoneMap } from '../../team/zones.js';
import { abortUpdate, continueUpdate } from './finish.js';
import { printUpdate } from './report.js';
import { assertClean, assertNoMarkers, assertNoPendingUpdate } from './safety.js';
import { loadSides } from './sides.js';

export interface UpdateOptions extends BaseOptions {
  to?: string;
  dryRun: boolean;
  diff: boolean;
  allowDirty: boolean;
  offline: boolean;
  continue: boolean;
  abort: boolean;
}

export interface UpdateResult {
  schemaVersion: 1;
  action: 'update' | 'continue' | 'abort';
  dryRun: boolean;
  root: string;
  from: { version: string; commit?: string };
  to: { version: string; commit?: string; ref?: string };
  changelog: ChangelogSection[];
  files: FileRow[];
  settings: SettingsRow[];
  pending: PendingConflict[];
  warnings: Problem[];
  /** Unified diffs per path, with --diff. */
  diffs?: { path: string; diff: string }[];
  /** Paths put back by --abort. */
  restored?: string[];
  /** An interrupted earlier write this run finished or rolled back first. */
  recovered?: Recovery;
}

/** Moves a team repo to another spine version with a three-way merge; see docs/update.md. */
export async function update(options: UpdateOptions, hooks: TxnHooks = {}): Promise<UpdateResult> {
  if (options.continue && options.abort) throw new UserError('--continue and --abort exclude each other');
  const root = await gitTopLevel(options.cwd);
  if (!root) throw new UserError('not a git repository', { file: options.cwd });
  if (options.dryRun && !options.continue && !options.abort) return updateIn(root, options);
  return withRepoWriter(root, { command: 'update', stateDir: options.stateDir }, async (writer) => {
    const result = await updateIn(root, options, writer, hooks);
    return writer.recovered ? { ...result, recovered: writer.recovered } : result;
  });
}

async function updateIn(
  root: string,
  options: UpdateOptions,
  writer?: RepoWriter,
  hooks: TxnHooks = {},
): Promise<UpdateResult> {
  const team = readTeamFiles(root);
  if (!team.lock)
    throw new UserError('this repository is not onboarded: run "spine init" first', { file: LOCK_FILE });
  const lock = await parseLock(LOCK_FILE, team.lock);
  if (writer && options.continue) return continueUpdate(root, lock, writer);
  if (writer && options.abort) return abortUpdate(root, lock, writer);

  assertNoPendingUpdate(root, lock);
  const warnings: Problem[] = [];
  if (team.settings)
    warnings.push(
      ...throwOnErrors((await parseSettingsFile('.claude/settings.json', team.settings)).problems),
    );
  const local = team.local ? await parseLocalConfig('.spine/local.yaml', team.local) : undefined;
  if (local) warnings.push(...throwOnErrors(local.problems));
  assertNoMarkers(root, lock);
  const launchDirs = await readLockedLaunchDirs(root, lock);
  warnings.push(...launchDirs.warnings);

  const sides = await loadSides({
    root,
    lock,
    to: options.to,
    team: local?.config?.team ?? basename(root),
    attribution: { champion: local?.config?.champion, repo: repoIdFromUrl(readOriginUrl(root)) },
    zones: await readZoneMap(root, local?.config, team.local?.toString('utf8')),
    offline: options.offline,
    cacheDir: options.cacheDir,
    onProgress: sourceProgress(options.json),
  });
  warnings.push(...sides.warnings);
  const { spine, desired, source } = sides.theirs;
  const paths = new Set([...Object.keys(lock.files), ...desired.files.map((f) => f.path)]);
  const ours = new Map([...paths].map((p) => [p, readInRepo(root, p)] as const));
  const oursExecutable = new Set([...paths].filter((p) => ours.get(p) && executableInRepo(root, p)));
  const dropped = Object.keys(lock.files).filter((p) => !desired.files.some((f) => f.path === p));
  const oursLinked = new Set(dropped.filter((p) => ours.get(p) && !isPlainFileInRepo(root, p)));
  const versions = { base: `v${lock.spine.version}`, theirs: `v${spine.manifest.version}` };

  const plan = await planUpdate({
    lock,
    base: sides.base,
    theirs: desired,
    ours,
    oursExecutable,
    oursLinked,
    settingsText: team.settings?.toString('utf8'),
    claudeMd: team.claudeMd?.toString('utf8'),
    gitignore: team.gitignore?.toString('utf8'),
    launchDirs: launchDirs.dirs,
    renames: spine.manifest.renames,
    versions,
    merge: async (o, b, t, labels) => (await mergeFile(o, b, t, labels)).content,
    tool: toolVersion(),
    source,
    spine: { name: spine.manifest.name, version: spine.manifest.version },
  });
  warnings.push(...plan.warnings, ...lockedStillRemoved(plan.settings));
  await assertSettingsValid(plan.writes);

  const lockChanged = plan.lockText !== team.lock.toString('utf8');
  const writes = lockChanged
    ? [...plan.writes, { path: LOCK_FILE, content: Buffer.from(plan.lockText) }]
    : plan.writes;
  await assertClean(
    root,
    writes.map((w) => w.path),
    options.allowDirty,
  );

  const result: UpdateResult = {
    schemaVersion: 1,
    action: 'update',
    dryRun: options.dryRun,
    root,
    from: { version: lock.spine.version, commit: lock.source.commit },
    to: { version: spine.manifest.version, commit: source.commit, ref: source.ref },
    changelog: changelogBetween(spine.changelog, lock.spine.version, spine.manifest.version),
    files: plan.files,
    settings: plan.settings,
    pending: plan.pending,
    warnings,
  };
  if (options.diff) {
    result.diffs = [];
    for (const w of plan.writes) {
      const diff = await diffFile(w.path, readInRepo(root, w.path), w.content);
      if (diff) result.diffs.push({ path: w.path, diff });
    }
  }
  if (writer && writes.length > 0) {
    // A clean update keeps no record (git holds the previous state); one with conflicts keeps
    // what --abort and resolve need, written in the same transaction as the files.
    const record =
      plan.pending.length > 0
        ? journalWrites(root, writes, { from: result.from, to: result.to }, plan.sides)
        : [];
    writer.apply([...writes, ...record], hooks);
  }
  return result;
}

/** Every merged settings file (the root's, each launch directory's) must be one Claude Code would load. */
async function assertSettingsValid(writes: { path: string; content?: Buffer }[]): Promise<void> {
  for (const w of writes) {
    if (!w.content || (w.path !== SETTINGS_FILE && !w.path.endsWith(`/${SETTINGS_FILE}`))) continue;
    throwOnErrors((await parseSettingsFile(w.path, w.content)).problems);
  }
}

export async function runUpdate(options: UpdateOptions, out: Output): Promise<void> {
  const result = await update(options);
  if (out.isJson) out.json(result);
  else printUpdate(result, out);
  if (result.pending.length > 0) throw new ExitError(1);
}
