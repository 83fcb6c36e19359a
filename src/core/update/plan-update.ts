import { buildLock, type Lock, type LockSource, serialiseLock } from '../lock/lock.js';
import type { Problem } from '../problems.js';
import { type DesiredState, SETTINGS_FILE } from '../render/desired-state.js';
import { planClaudeBlock } from './plan-claude-block.js';
import { planFiles } from './plan-files.js';
import { type LaunchDirNow, planLaunchDirs } from './plan-launch-dirs.js';
import { planModes } from './plan-modes.js';
import type { Rename } from './renames.js';
import { mergeSettingsThreeWay } from './settings-three-way.js';
import type {
  ConflictSides,
  FileRow,
  MergeText,
  PendingConflict,
  SettingsRow,
  UpdateWrite,
} from './types.js';

export interface UpdatePlanInput {
  lock: Lock;
  /** The locked version re-rendered, or undefined when it cannot be rebuilt. */
  base: DesiredState | undefined;
  theirs: DesiredState;
  /** The repo now: every managed path of both versions and every rename target. */
  ours: Map<string, Buffer | undefined>;
  /** Which of those paths have an x bit now. */
  oursExecutable: Set<string>;
  /** Paths the new version drops that are reached through a symlink: never removed. */
  oursLinked?: Set<string>;
  settingsText: string | undefined;
  claudeMd: string | undefined;
  gitignore: string | undefined;
  /** The launch directories the lock records, as they are now (docs/monorepos.md). */
  launchDirs?: LaunchDirNow[];
  renames: Rename[];
  versions: { base: string; theirs: string };
  merge: MergeText;
  tool: string;
  source: LockSource;
  spine: { name: string; version: string };
}

export interface UpdatePlan {
  files: FileRow[];
  settings: SettingsRow[];
  pending: PendingConflict[];
  sides: ConflictSides[];
  warnings: Problem[];
  /** Every write but the lock, which goes last. */
  writes: UpdateWrite[];
  lock: Lock;
  lockText: string;
}

/** The whole update, computed before anything is written. */
export async function planUpdate(input: UpdatePlanInput): Promise<UpdatePlan> {
  const files = await planFiles({
    lockFiles: input.lock.files,
    base: input.base && new Map(input.base.files.map((f) => [f.path, f.content])),
    theirs: input.theirs.files,
    ours: input.ours,
    ...(input.oursLinked ? { linked: input.oursLinked } : {}),
    renames: input.renames,
    versions: input.versions,
    merge: input.merge,
  });
  planModes(
    {
      lockFiles: input.lock.files,
      theirs: input.theirs.files,
      ours: input.ours,
      oursExecutable: input.oursExecutable,
    },
    files,
  );
  await planClaudeBlock(
    {
      claudeMd: input.claudeMd,
      lockHash: input.lock.claudeMd?.hash,
      base: input.base?.claudeBlock,
      theirs: input.theirs.claudeBlock,
      versions: input.versions,
      merge: input.merge,
    },
    files,
  );

  const settingsText = input.settingsText ?? '{}\n';
  const settings = mergeSettingsThreeWay({
    text: settingsText,
    base: input.lock.settings,
    theirs: input.theirs.settings,
    moves: files.moves,
  });
  const launchDirs = planLaunchDirs({
    lock: input.lock,
    theirs: input.theirs.settings,
    dirs: input.launchDirs ?? [],
    moves: files.moves,
  });
  const writes = [...files.writes];
  if (settings.changed) writes.push({ path: SETTINGS_FILE, content: Buffer.from(settings.text) });
  writes.push(...launchDirs.writes);
  const gitignore = withGitignoreLines(input.gitignore, input.theirs.gitignore);
  if (gitignore !== input.gitignore && gitignore !== undefined) {
    writes.push({ path: '.gitignore', content: Buffer.from(gitignore) });
  }

  const pending = [...files.pending, ...settings.pending, ...launchDirs.pending];
  const built = buildLock({
    tool: input.tool,
    source: input.source,
    spine: input.spine,
    desired: input.theirs,
    previous: input.lock,
    presentBefore: settings.presentBefore,
    launchDirs: input.launchDirs ? launchDirs.record : input.lock.launchDirs,
  });
  const { pending: _previous, ...rest } = built;
  const lock: Lock = pending.length > 0 ? { ...rest, pending } : rest;
  return {
    files: files.rows,
    settings: [...settings.rows, ...launchDirs.rows],
    pending,
    sides: files.sides,
    warnings: files.warnings,
    writes,
    lock,
    lockText: serialiseLock(lock),
  };
}

/** .gitignore with the lines the new version needs appended; undefined when none are needed. */
function withGitignoreLines(text: string | undefined, lines: string[]): string | undefined {
  const present = new Set(
    (text ?? '').split(/\r?\n/).map((l) => l.trim().replace(/^\//, '').replace(/\/$/, '')),
  );
  const missing = lines.filter((l) => !present.has(l.replace(/^\//, '').replace(/\/$/, '')));
  if (missing.length === 0) return text;
  const eol = text?.includes('\r\n') ? '\r\n' : '\n';
  const base = !text ? '' : text.endsWith('\n') ? text : text + eol;
  return `${base}${['# spine: runtime audit log', ...missing].join(eol)}${eol}`;
}
