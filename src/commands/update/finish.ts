import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { isText } from '../../core/hash.js';
import { type Lock, serialiseLock } from '../../core/lock/lock.js';
import { findBlock } from '../../core/render/claude-block.js';
import { LOCK_FILE, SETTINGS_FILE } from '../../core/render/desired-state.js';
import { countConflictRegions } from '../../core/update/conflict-markers.js';
import { currentValue, parseEntryKey } from '../../core/update/settings-keys.js';
import type { PendingConflict } from '../../core/update/types.js';
import { UserError } from '../../errors.js';
import { readIfExists, writeAtomic } from '../../io/fs.js';
import { journalExists, readJournal, removeJournal, restoreJournal } from '../../io/journal.js';
import type { UpdateResult } from './index.js';

/** Pending conflicts as recorded in the lock (written by this tool, so trusted in shape). */
export function pendingOf(lock: Lock): PendingConflict[] {
  return (lock.pending ?? []) as PendingConflict[];
}

/** True when a conflict has been settled by hand since the update left it. */
export function isSettled(root: string, item: PendingConflict): boolean {
  const read = (path: string) => readIfExists(join(root, path));
  switch (item.kind) {
    case 'text': {
      const content = read(item.path!);
      return (
        content === undefined || !isText(content) || countConflictRegions(content.toString('utf8')) === 0
      );
    }
    case 'block': {
      const content = read(item.path!)?.toString('utf8');
      const block = content === undefined ? undefined : findBlock(content);
      return !block || countConflictRegions(block.body) === 0;
    }
    case 'binary':
    case 'exists':
      return item.side === undefined || read(item.side) === undefined;
    case 'deleted': {
      if (item.path === 'CLAUDE.md') return findBlock(read(item.path)?.toString('utf8') ?? '') !== undefined;
      return read(item.path!) !== undefined;
    }
    case 'setting': {
      const text = read(SETTINGS_FILE)?.toString('utf8');
      if (text === undefined) return false;
      try {
        const value = currentValue(JSON.parse(text), parseEntryKey(item.key!));
        return isDeepStrictEqual(value ?? null, item.theirs);
      } catch {
        return false;
      }
    }
  }
}

/** Finishes an update once every conflict is settled: the lock loses `pending`, the journal goes. */
export async function continueUpdate(root: string, lock: Lock): Promise<UpdateResult> {
  const pending = pendingOf(lock);
  if (pending.length === 0 && !journalExists(root)) {
    throw new UserError('no update in progress', { file: LOCK_FILE });
  }
  const journal = readJournal(root);
  const remaining = pending.filter((item) => !isSettled(root, item));
  if (remaining.length === 0) {
    const { pending: _done, ...rest } = lock;
    writeAtomic(join(root, LOCK_FILE), serialiseLock(rest));
    removeJournal(root);
  }
  return {
    schemaVersion: 1,
    action: 'continue',
    dryRun: false,
    root,
    from: journal?.from ?? { version: lock.spine.version },
    to: journal?.to ?? { version: lock.spine.version, commit: lock.source.commit },
    changelog: [],
    files: [],
    settings: [],
    pending: remaining,
    warnings: [],
  };
}

/** Puts every file the update touched back byte for byte, the lock included. */
export async function abortUpdate(root: string, lock: Lock): Promise<UpdateResult> {
  const journal = readJournal(root);
  if (!journal) {
    throw new UserError(
      pendingOf(lock).length > 0
        ? 'the update journal (.spine/update/) is missing, so the update cannot be undone; use git to restore the files'
        : 'no update in progress',
      { file: LOCK_FILE },
    );
  }
  const restored = restoreJournal(root);
  return {
    schemaVersion: 1,
    action: 'abort',
    dryRun: false,
    root,
    from: journal.from,
    to: journal.to,
    changelog: [],
    files: [],
    settings: [],
    pending: [],
    warnings: [],
    restored,
  };
}
