import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';

/** Everything spine keeps while a transaction runs; ignores itself in git. */
export const TXN_DIR = '.spine/txn';
export const TXN_JOURNAL = `${TXN_DIR}/journal.json`;

/** One path a transaction changes: what was there (to roll back) and what it will be (to tell). */
export interface JournalEntry {
  /** Repo-relative, with in-repo symlinks resolved: the file that is really written. */
  path: string;
  /** The bytes before, base64; null when the path did not exist. */
  before: string | null;
  /** The file mode before, to restore it with the bytes. */
  mode: number | null;
  /** sha256 of the bytes after; null when the transaction deletes the path. */
  after: string | null;
  /** The mode after, when the write sets one (an executable script); absent: left as it was. */
  modeAfter?: number;
  /** Directories this entry creates (repo-relative, outermost first), removed on roll back. */
  dirs: string[];
}

export interface TxnJournal {
  journalVersion: 2;
  command: string;
  pid: number;
  startedAt: string;
  entries: JournalEntry[];
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Writes the journal durably (temp, fsync, rename, fsync of the directory) before any change. */
export function writeJournal(root: string, journal: TxnJournal): void {
  const file = join(root, TXN_JOURNAL);
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(journal)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  syncDir(join(root, TXN_DIR));
}

export function removeJournal(root: string): void {
  rmSync(join(root, TXN_JOURNAL), { force: true });
}

export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every file system lets a directory be synced; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The journal of an interrupted transaction, if any; one that is not ours to read is exit 2. */
export function readJournal(root: string): TxnJournal | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, TXN_JOURNAL), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isJournal(value)) {
    throw new UserError(
      `not a transaction journal spine wrote, so the interrupted change cannot be undone automatically; check the files with "git status", then delete ${TXN_DIR}/`,
      { file: TXN_JOURNAL },
    );
  }
  return value;
}

function isJournal(value: unknown): value is TxnJournal {
  const j = value as TxnJournal;
  return (
    typeof j === 'object' &&
    j !== null &&
    j.journalVersion === 2 &&
    typeof j.command === 'string' &&
    Array.isArray(j.entries) &&
    j.entries.every(
      (e) =>
        typeof e?.path === 'string' &&
        (e.before === null || typeof e.before === 'string') &&
        (e.after === null || typeof e.after === 'string') &&
        (e.mode === null || typeof e.mode === 'number') &&
        (e.modeAfter === undefined || typeof e.modeAfter === 'number') &&
        Array.isArray(e.dirs),
    )
  );
}
