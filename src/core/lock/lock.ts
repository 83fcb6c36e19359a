import type { Level } from '../../spine/model.js';
import { LOCK_EXECUTABLE } from '../file-mode.js';
import { contentHash } from '../hash.js';
import type { DesiredState, ManagedKind } from '../render/desired-state.js';

/** `.spine/lock.json`: what spine wrote, so drift and updates can tell spine's from the team's. */
export interface Lock {
  lockVersion: 1;
  tool: string;
  source: LockSource;
  spine: { name: string; version: string };
  files: Record<string, LockedFile>;
  claudeMd?: { hash: string };
  settings: LockedEntry[];
  /**
   * Each launch directory spine guards (docs/monorepos.md), with the keys of the entries its
   * settings had before spine (team-owned). The entries themselves are the root's, rebased.
   */
  launchDirs?: Record<string, { team?: string[] }>;
  pending?: unknown[];
}

export interface LockedFile {
  hash: string;
  kind: ManagedKind;
  owner?: string;
  /**
   * `755` when the file is executable (a skill's script). Absent: a regular file — or, in a lock
   * written before modes were recorded, not known (see lockedExecutable).
   */
  mode?: typeof LOCK_EXECUTABLE;
}

export interface LockSource {
  /** The source as the user gave it (`embedded`, a path, a URL, `github:o/r`). */
  spec: string;
  url?: string;
  /** The ref asked for (tag, branch or sha), if any. */
  ref?: string;
  commit?: string;
}

export interface LockedEntry {
  key: string;
  id: string;
  level: Level;
  /** `team`: the team had this exact entry before spine; an upstream removal never deletes it. */
  owner: 'spine' | 'team';
  value: unknown;
}

export interface BuildLockInput {
  tool: string;
  source: LockSource;
  spine: { name: string; version: string };
  desired: DesiredState;
  previous?: Lock;
  /** Keys of entries the team's settings already had before this run. */
  presentBefore: Set<string>;
  launchDirs?: Lock['launchDirs'];
}

/** Records the desired state; ownership of an entry, once recorded, is never re-decided. */
export function buildLock({
  tool,
  source,
  spine,
  desired,
  previous,
  presentBefore,
  launchDirs,
}: BuildLockInput): Lock {
  const files: Lock['files'] = {};
  for (const f of desired.files)
    files[f.path] = {
      hash: contentHash(f.content),
      kind: f.kind,
      owner: f.owner,
      ...(f.executable ? { mode: LOCK_EXECUTABLE } : {}),
    };
  const previousOwner = new Map(previous?.settings.map((e) => [e.key, e.owner]));
  const settings = desired.settings.map<LockedEntry>((e) => ({
    key: e.key,
    id: e.id,
    level: e.level,
    owner: previousOwner.get(e.key) ?? (presentBefore.has(e.key) ? 'team' : 'spine'),
    value: e.value,
  }));
  return {
    lockVersion: 1,
    tool,
    source: stripUndefined(source),
    spine,
    files,
    claudeMd: { hash: contentHash(desired.claudeBlock) },
    settings,
    ...(launchDirs && Object.keys(launchDirs).length > 0 ? { launchDirs } : {}),
    ...(previous?.pending ? { pending: previous.pending } : {}),
  };
}

/**
 * Whether a managed file should be executable: the lock's record, and where the entry records no
 * mode, the locked spine's (a lock written before modes were recorded says nothing either way;
 * one written since records 755 for every file the spine ships executable, so the two agree).
 */
export function expectedExecutable(entry: LockedFile, spineExecutable: boolean): boolean {
  return entry.mode === LOCK_EXECUTABLE || spineExecutable;
}

/** The paths a desired state makes executable. */
export function executablePaths(desired: DesiredState): Set<string> {
  return new Set(desired.files.filter((f) => f.executable).map((f) => f.path));
}

export function serialiseLock(lock: Lock): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
