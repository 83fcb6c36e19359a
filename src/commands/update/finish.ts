import { isDeepStrictEqual } from 'node:util';
import { isText } from '../../core/hash.js';
import { type Lock, serialiseLock } from '../../core/lock/lock.js';
import { findBlock } from '../../core/render/claude-block.js';
import { LOCK_FILE, SETTINGS_FILE } from '../../core/render/desired-state.js';
import { splitBom } from '../../core/settings/settings-json.js';
import { countConflictRegions } from '../../core/update/conflict-markers.js';
import { currentValue, parseEntryKey } from '../../core/update/settings-keys.js';
import type { PendingConflict } from '../../core/update/types.js';
import { UserError } from '../../errors.js';
import { JOURNAL_DIR, readJournal, removeJournalWrites, restoreWrites } from '../../io/journal.js';
import { type RepoWriter, readInRepo } from '../../io/transaction/index.js';
import type { UpdateResult } from './index.js';

/** Pending conflicts as recorded in the lock (written by this tool, so trusted in shape). */
export function pendingOf(lock: Lock): PendingConflict[] {
  return (lock.pending ?? []) as PendingConflict[];
}

/** True when a conflict has been settled by hand since the update left it. */
export function isSettled(root: string, item: PendingConflict): boolean {
  const read = (path: string) => readInRepo(root, path);
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
      const text = read(item.path ?? SETTINGS_FILE)?.toString('utf8');
      if (text === undefined) return false;
      try {
        const value = currentValue(JSON.parse(splitBom(text).body), parseEntryKey(item.key!));
        return isDeepStrictEqual(value ?? null, item.theirs);
      } catch {
        return false;
      }
    }
  }
}

/**
 * Finishes an update once every conflict is settled: the lock loses `pending` and the record
 * goes, in one transaction. An update a crash cut short was already rolled back by the writer
 * (never declared finished); then there is nothing left to continue, which is not an error.
 */
export async function continueUpdate(root: string, lock: Lock, writer: RepoWriter): Promise<UpdateResult> {
  const pending = pendingOf(lock);
  const journal = readJournal(root, writer.seals);
  if (pending.length === 0 && !journal) {
    if (writer.recovered) return idle('continue', lock, root);
    throw new UserError('no update in progress', { file: LOCK_FILE });
  }
  if (journal && journal.to.version !== lock.spine.version) {
    throw new UserError(
      `the update to v${journal.to.version} did not finish writing (the lock still says v${lock.spine.version}); run "spine update --abort", then update again`,
      { file: LOCK_FILE },
    );
  }
  const remaining = pending.filter((item) => !isSettled(root, item));
  if (remaining.length === 0) {
    const { pending: _done, ...rest } = lock;
    writer.apply([{ path: LOCK_FILE, content: Buffer.from(serialiseLock(rest)) }, ...removeJournalWrites()]);
  }
  return {
    ...idle('continue', lock, root),
    from: journal?.from ?? { version: lock.spine.version },
    to: journal?.to ?? { version: lock.spine.version, commit: lock.source.commit },
    pending: remaining,
  };
}

/** Puts every file the update touched back byte for byte, the lock included, in one transaction. */
export async function abortUpdate(root: string, lock: Lock, writer: RepoWriter): Promise<UpdateResult> {
  const journal = readJournal(root, writer.seals);
  if (!journal) {
    if (writer.recovered && pendingOf(lock).length === 0)
      return { ...idle('abort', lock, root), restored: [] };
    throw new UserError(
      pendingOf(lock).length > 0
        ? 'the update record (.spine/update/journal.json) is missing, so the update cannot be undone; use git to restore the files'
        : 'no update in progress',
      { file: LOCK_FILE },
    );
  }
  const restored = writer.apply(restoreWrites(journal)).filter((p) => !p.startsWith(`${JOURNAL_DIR}/`));
  return { ...idle('abort', lock, root), from: journal.from, to: journal.to, restored };
}

function idle(action: 'continue' | 'abort', lock: Lock, root: string): UpdateResult {
  const at = { version: lock.spine.version, commit: lock.source.commit };
  return {
    schemaVersion: 1,
    action,
    dryRun: false,
    root,
    from: at,
    to: at,
    changelog: [],
    files: [],
    settings: [],
    pending: [],
    warnings: [],
  };
}
