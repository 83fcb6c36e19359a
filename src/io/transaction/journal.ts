import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomHex } from '../../core/sha256.js';
import { UserError } from '../../errors.js';
import { contentHash, isSealed, type SealName, type SealStore, setSeal } from './seal.js';
import { syncDir } from './sync-dir.js';

/** Everything spine keeps while a transaction runs; ignores itself in git. */
export const TXN_DIR = '.spine/txn';
export const TXN_JOURNAL = `${TXN_DIR}/journal.json`;

/** One path a transaction changes: what was there (to roll back) and what it will be (to tell). */
export interface JournalEntry {
  /** Repo-relative, with in-repo symlinks resolved: the file that is really written. */
  path: string;
  /** The path as the command named it, when an in-repo link led it to `path` (CLAUDE.md → AGENTS.md). */
  via?: string;
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
  /** The seal this path's content is recorded under (update's record). */
  seal?: SealName;
}

export interface TxnJournal {
  journalVersion: 2;
  command: string;
  pid: number;
  startedAt: string;
  entries: JournalEntry[];
}

export const sha256 = contentHash;

/**
 * Writes the journal durably (temp, fsync, rename, fsync of the directory) before any change,
 * its seal first: a journal is never in place without the proof that spine wrote it.
 */
export function writeJournal(root: string, journal: TxnJournal, seals: SealStore): void {
  const text = `${JSON.stringify(journal)}\n`;
  setSeal(seals, 'txn-journal', [contentHash(text)]);
  const file = join(root, TXN_JOURNAL);
  const temp = `${file}.${randomHex(6)}.tmp`;
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  syncDir(join(root, TXN_DIR));
}

/** Removes the journal, then its seal. */
export function removeJournal(root: string, seals: SealStore): void {
  rmSync(join(root, TXN_JOURNAL), { force: true });
  setSeal(seals, 'txn-journal', []);
}

/** The journal's bytes, or undefined when there is none. */
export function readJournalBytes(root: string): Buffer | undefined {
  try {
    return readFileSync(join(root, TXN_JOURNAL));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The journal in `bytes` if it has a journal's shape; undefined otherwise. */
export function parseJournal(bytes: Buffer): TxnJournal | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  return isJournal(value) ? value : undefined;
}

/** Whether spine wrote exactly these journal bytes on this machine (and has not finished with them). */
export function journalSealed(bytes: Buffer, seals: SealStore): boolean {
  return isSealed(seals, 'txn-journal', bytes);
}

export function untrustedJournal(reason: string): UserError {
  return new UserError(
    `${reason}; spine will not act on it and wrote nothing. Check the files with "git status", then delete ${TXN_DIR}/`,
    { file: TXN_JOURNAL },
  );
}

function isJournal(value: unknown): value is TxnJournal {
  const j = value as TxnJournal;
  return (
    typeof j === 'object' &&
    j !== null &&
    j.journalVersion === 2 &&
    typeof j.command === 'string' &&
    typeof j.startedAt === 'string' &&
    Array.isArray(j.entries) &&
    j.entries.every(
      (e) =>
        typeof e?.path === 'string' &&
        (e.via === undefined || typeof e.via === 'string') &&
        (e.before === null || typeof e.before === 'string') &&
        (e.after === null || typeof e.after === 'string') &&
        (e.mode === null || typeof e.mode === 'number') &&
        (e.modeAfter === undefined || typeof e.modeAfter === 'number') &&
        (e.seal === undefined || e.seal === 'update-record') &&
        Array.isArray(e.dirs) &&
        e.dirs.every((d: unknown) => typeof d === 'string'),
    )
  );
}
