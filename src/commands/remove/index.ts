import { existsSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Lock } from '../../core/lock/lock.js';
import {
  type KeptPath,
  lockRefusal,
  planRemove,
  type RemoveChange,
  settingsTargets,
} from '../../core/remove/plan-remove.js';
import { LOCK_FILE } from '../../core/render/desired-state.js';
import { parseJsonFile } from '../../core/settings/settings-json.js';
import { UserError } from '../../errors.js';
import { dropMaskedNamesBlock } from '../../hooks/git-exclude.js';
import { gitTopLevel } from '../../io/git.js';
import { journalExists } from '../../io/journal.js';
import { fillTemplate, readTemplate } from '../../io/package-files.js';
import {
  previewRecovery,
  type Recovery,
  type RepoWriter,
  readInRepo,
  removeEmptyDirs,
  resolveInside,
  sealStore,
  withRepoWriter,
} from '../../io/transaction/index.js';
import { TXN_JOURNAL } from '../../io/transaction/journal.js';
import type { BaseOptions } from '../../options.js';
import { parseLocalConfig, parseLock, problemToError } from '../../team/parse-team.js';
import { readTeamFiles } from '../../team/read-team.js';
import { listSpineRecords } from '../../team/spine-records.js';

export interface RemoveOptions extends BaseOptions {
  dryRun: boolean;
}

export interface RemoveResult {
  schemaVersion: 1;
  dryRun: boolean;
  root: string;
  /** The spine taken out; absent when this run only finished an interrupted remove. */
  spine?: { name: string; version: string };
  /** Paths deleted or rewritten (or that would be, in a dry run). */
  changes: { path: string; action: RemoveChange['action']; note: string }[];
  /** What stays, and why: the team's own bytes, or what spine will not delete for it. */
  kept: KeptPath[];
  entriesRemoved: number;
  /** What could not be done, each on stderr; the removal itself stands. */
  warnings: string[];
  recovered?: Recovery;
}

/** Takes spine out of a team repo: everything it wrote goes, everything of the team's stays. */
export async function remove(options: RemoveOptions): Promise<RemoveResult> {
  const root = await gitTopLevel(options.cwd);
  if (!root) throw new UserError('not a git repository: nothing to remove', { file: options.cwd });
  // Bad input is refused before the writer takes its lock. A remove that was killed is finished
  // (the writer recovers its journal first; past the commit point only the writer's own files
  // are left, the lock is gone already: it is deleted last).
  const finishing = (await assertNoOtherInterruptedWrite(root, options)) || onlyWriterLeftovers(root);
  if (!finishing) await readLock(root);
  const result = options.dryRun
    ? await removeIn(root, options, finishing)
    : await withRepoWriter(root, { command: 'remove', stateDir: options.stateDir }, (writer) =>
        removeIn(root, options, finishing, writer),
      );
  // The writer's own directory is gone now; so are .claude/ and then .spine/ if nothing else is in them.
  if (!options.dryRun) removeEmptyDirs([join(root, SPINE_DIR), join(root, '.claude')]);
  // Local to this clone, outside the repository: the hook's block of names the sandbox masks.
  const warn = (message: string) => result.warnings.push(message);
  if (dropMaskedNamesBlock(root, warn, options.dryRun)) {
    result.changes.push({
      path: GIT_EXCLUDE,
      action: 'update',
      note: "the spine hook's block, this clone only",
    });
  }
  return result;
}

/** Where git keeps a clone's own ignore lines (shown as such; the shared one for worktrees). */
const GIT_EXCLUDE = '.git/info/exclude';

async function removeIn(
  root: string,
  options: RemoveOptions,
  finishing: boolean,
  writer?: RepoWriter,
): Promise<RemoveResult> {
  const recovered = writer?.recovered;
  if (finishing && readInRepo(root, LOCK_FILE) === undefined) {
    // An interrupted remove that had passed its commit point: tidying up was all that was left.
    return {
      schemaVersion: 1,
      dryRun: options.dryRun,
      root,
      changes: [],
      kept: [],
      entriesRemoved: 0,
      warnings: [],
      ...(recovered ? { recovered } : {}),
    };
  }
  const lock = await readLock(root);
  const team = readTeamFiles(root);
  const settings = new Map<string, string | undefined>();
  for (const { path } of settingsTargets(lock)) {
    const content = readInRepo(root, path);
    if (content === undefined) continue;
    const parsed = parseJsonFile(path, content.toString('utf8'));
    if (!parsed.json) throw problemToError(parsed.problems[0]!, 'cannot take spine out of it');
    settings.set(path, content.toString('utf8'));
  }
  const local = team.local ? await parseLocalConfig('.spine/local.yaml', team.local) : undefined;
  const records = listSpineRecords(root);
  const plan = planRemove({
    lock,
    managed: new Map(Object.keys(lock.files).map((p) => [p, readInRepo(root, p)] as const)),
    settings,
    claudeMd: team.claudeMd?.toString('utf8'),
    claudeSeed: fillTemplate(readTemplate('CLAUDE.md'), { TEAM: local?.config?.team ?? basename(root) }),
    gitignore: team.gitignore?.toString('utf8'),
    records: records.files,
  });
  const kept = [...plan.kept, ...records.kept];
  // Deleting through a link would delete what it points at (CLAUDE.md → AGENTS.md): leave those.
  const changes = plan.changes.filter((change) => {
    if (change.action !== 'delete') return true;
    const at = resolveInside(root, change.path);
    if ('rel' in at && at.rel === change.path) return true;
    kept.push({ path: change.path, reason: 'reached through a link: left alone' });
    return false;
  });
  writer?.apply(changes.map(({ path, content }) => ({ path, content })));
  return {
    schemaVersion: 1,
    dryRun: options.dryRun,
    root,
    spine: lock.spine,
    changes: changes.map(({ path, action, note }) => ({ path, action, note })),
    kept,
    entriesRemoved: plan.entriesRemoved,
    warnings: [],
    ...(writer?.recovered ? { recovered: writer.recovered } : {}),
  };
}

/**
 * Refuses a write another command left half done (its own way out finishes or undoes it); true
 * when the interrupted write is an earlier `spine remove`, which this run finishes or undoes first.
 * A journal spine did not write is refused here too (exit 2, trust.ts).
 */
async function assertNoOtherInterruptedWrite(root: string, options: RemoveOptions): Promise<boolean> {
  if (readInRepo(root, TXN_JOURNAL) === undefined) return false;
  const real = realpathSync(root);
  const interrupted = previewRecovery(real, sealStore(options.stateDir, real));
  if (!interrupted) return false;
  if (interrupted.command === 'remove' && !options.dryRun) return true;
  const again = interrupted.command === 'remove' ? 'spine remove' : 'spine doctor --fix';
  throw new UserError(
    `an interrupted "spine ${interrupted.command}" left a write half done: run "${again}" to finish or undo it first (spine doctor shows it); nothing was written`,
    { file: TXN_JOURNAL },
  );
}

const SPINE_DIR = '.spine';

/**
 * No lock, and nothing under .spine/ but a writer's own files: a remove killed past its commit
 * point (.spine/ is the last thing it removes, so it marks an unfinished one).
 */
function onlyWriterLeftovers(root: string): boolean {
  if (readInRepo(root, LOCK_FILE) !== undefined) return false;
  const at = resolveInside(root, SPINE_DIR);
  if (!('rel' in at) || at.rel !== SPINE_DIR || !existsSync(at.path)) return false;
  const records = listSpineRecords(root);
  return records.files.length === 0 && records.kept.length === 0;
}

/** The lock, once nothing stands in the way: onboarded, no update left half done, trusted. */
async function readLock(root: string): Promise<Lock> {
  const content = readInRepo(root, LOCK_FILE);
  if (content === undefined) {
    throw new UserError('this repository is not onboarded onto a spine: nothing to remove', {
      file: LOCK_FILE,
    });
  }
  const lock = await parseLock(LOCK_FILE, content);
  if (journalExists(root) || (lock.pending?.length ?? 0) > 0) {
    throw new UserError(
      'an update is in progress: finish it ("spine update --continue") or undo it ("spine update --abort"), then remove again; nothing was written',
      { file: LOCK_FILE },
    );
  }
  const refusal = lockRefusal(lock);
  if (refusal) {
    throw new UserError(
      `not a lock spine will act on: ${refusal}; nothing was written. Restore it with git (git checkout -- ${LOCK_FILE})`,
      { file: LOCK_FILE },
    );
  }
  return lock;
}
