import { entryFromLock } from '../effective-settings.js';
import { contentHash } from '../hash.js';
import { rebaseEntries } from '../launch-dirs/rebase-entries.js';
import type { Lock } from '../lock/lock.js';
import { forbiddenPath, isManagedFilePath } from '../managed-paths.js';
import { CLAUDE_MD, LOCK_FILE, SETTINGS_FILE, type SettingsEntry } from '../render/desired-state.js';
import { unmergeSettings } from './unmerge-settings.js';
import { isUntouchedSeed, withoutBlock, withoutGitignoreLines } from './unmerge-text.js';

/** One path `spine remove` deletes or rewrites; `content` undefined deletes it. */
export interface RemoveChange {
  path: string;
  action: 'delete' | 'update';
  content?: Buffer;
  note: string;
}

export interface KeptPath {
  path: string;
  reason: string;
}

export interface RemoveInput {
  lock: Lock;
  /** Current bytes of each file the lock names (undefined: gone already). */
  managed: Map<string, Buffer | undefined>;
  /** Current text of each settings file spine merged into (root, launch directories). */
  settings: Map<string, string | undefined>;
  claudeMd?: string;
  /** CLAUDE.md as init seeds it for this team (with the block placeholder). */
  claudeSeed: string;
  gitignore?: string;
  /** Files under .spine/ (repo-relative) that go with it; the lock among them. */
  records: string[];
}

export interface RemovePlan {
  changes: RemoveChange[];
  kept: KeptPath[];
  /** Settings entries taken out, over every settings file. */
  entriesRemoved: number;
}

/**
 * Why spine will not act on this lock, or undefined. Anything in the repo may have been written
 * by the agent: a lock that names a path outside spine's managed set, a launch directory that is
 * not a plain path, or an entry spine never writes is refused whole, before anything is written.
 */
export function lockRefusal(lock: Lock): string | undefined {
  for (const path of Object.keys(lock.files)) {
    if (!isManagedFilePath(path)) return `it names "${path}", which is not a file spine manages`;
  }
  for (const dir of Object.keys(lock.launchDirs ?? {})) {
    const why = forbiddenPath(dir) ?? forbiddenPath(`${dir}/${SETTINGS_FILE}`);
    if (why) return `its launch directory "${dir}" ${why}`;
  }
  const unknown = lock.settings.find((e) => entryFromLock(e) === undefined);
  if (unknown) return `its settings entry "${unknown.key}" is not one spine writes`;
  return undefined;
}

/** The settings files spine merged into, with the entries it wrote there and the team's keys. */
export function settingsTargets(
  lock: Lock,
): { path: string; entries: SettingsEntry[]; teamKeys: Set<string> }[] {
  const entries = lock.settings.map((e) => entryFromLock(e)!);
  const root = {
    path: SETTINGS_FILE,
    entries,
    teamKeys: new Set(lock.settings.filter((e) => e.owner === 'team').map((e) => e.key)),
  };
  const dirs = Object.entries(lock.launchDirs ?? {}).map(([dir, record]) => ({
    path: `${dir}/${SETTINGS_FILE}`,
    entries: rebaseEntries(entries, dir),
    teamKeys: new Set(record.team ?? []),
  }));
  return [root, ...dirs];
}

/**
 * Pure: everything spine put in a team repo, taken out, and every byte of the team's kept. A
 * managed file goes only while it still holds what spine wrote (the lock's hash); one the team
 * edited is kept and said so.
 */
export function planRemove(input: RemoveInput): RemovePlan {
  const changes: RemoveChange[] = [];
  const kept: KeptPath[] = [];
  for (const [path, locked] of Object.entries(input.lock.files)) {
    const current = input.managed.get(path);
    if (current === undefined) continue;
    if (contentHash(current) === locked.hash) {
      changes.push({ path, action: 'delete', note: fileNote(locked.kind, locked.owner) });
    } else {
      kept.push({
        path,
        reason: `${locked.kind} changed since spine wrote it: yours now; delete it if unwanted`,
      });
    }
  }

  let entriesRemoved = 0;
  for (const target of settingsTargets(input.lock)) {
    const text = input.settings.get(target.path);
    if (text === undefined) continue;
    const result = unmergeSettings(text, target.entries, target.teamKeys);
    entriesRemoved += result.removed.length;
    if (result.kept.length > 0) {
      const reasons = [...new Set(result.kept.map((k) => k.reason))].join('; ');
      kept.push({ path: target.path, reason: `${result.kept.length} entries kept (${reasons})` });
    }
    if (result.removed.length === 0) continue;
    changes.push(
      result.text === undefined
        ? {
            path: target.path,
            action: 'delete',
            note: `${result.removed.length} spine entries, nothing else`,
          }
        : {
            path: target.path,
            action: 'update',
            content: Buffer.from(result.text),
            note: `${result.removed.length} spine entries removed, the team's kept`,
          },
    );
  }

  if (input.claudeMd !== undefined) {
    const rest = withoutBlock(input.claudeMd);
    if (rest !== undefined && isUntouchedSeed(input.claudeMd, input.claudeSeed)) {
      changes.push({ path: CLAUDE_MD, action: 'delete', note: "spine's seed, never edited" });
    } else if (rest !== undefined) {
      changes.push({
        path: CLAUDE_MD,
        action: 'update',
        content: Buffer.from(rest),
        note: 'spine block removed, every other byte kept',
      });
    }
  }

  if (input.gitignore !== undefined) {
    const rest = withoutGitignoreLines(input.gitignore);
    if (rest === '') changes.push({ path: '.gitignore', action: 'delete', note: "spine's lines only" });
    else if (rest !== undefined)
      changes.push({
        path: '.gitignore',
        action: 'update',
        content: Buffer.from(rest),
        note: "spine's lines removed",
      });
  }

  for (const path of input.records) {
    changes.push({
      path,
      action: 'delete',
      note: path === LOCK_FILE ? 'the lock (removed last)' : "spine's record",
    });
  }
  return { changes, kept, entriesRemoved };
}

/** "skill review-change", "hook" (not "hook hook"). */
function fileNote(kind: string, owner: string | undefined): string {
  return owner && owner !== kind ? `${kind} ${owner}` : kind;
}
