import { isPlainMode, writeRefusal } from '../core/managed-paths.js';
import type { ConflictSides, UpdateWrite } from '../core/update/types.js';
import { UserError } from '../errors.js';
import { isSealed, modeInRepo, readInRepo, type SealStore, type TxnWrite } from './transaction/index.js';

/**
 * What an update that stopped on conflicts keeps until `--continue` or `--abort`: the bytes of
 * every path before it (for --abort) and the three sides of each conflict (for `spine resolve`).
 * It is written and removed inside the same transactions as the files it describes.
 */
export const JOURNAL_DIR = '.spine/update';
const JOURNAL_FILE = `${JOURNAL_DIR}/journal.json`;
const IGNORE_FILE = `${JOURNAL_DIR}/.gitignore`;

export interface Journal {
  journalVersion: 1;
  from: { version: string; commit?: string };
  to: { version: string; commit?: string };
  /** Every path the update touched, with its bytes before (base64; null = it did not exist) and mode. */
  entries: { path: string; before: string | null; mode?: number }[];
  /** The three sides of each conflict, for `spine resolve`. */
  sides: { path: string; ours?: string; base?: string; theirs?: string }[];
}

/**
 * The record of an unfinished update; one that is not a record spine wrote is exit 2, before
 * anything is written: its bytes must be sealed (io/transaction/seal.ts) and every path it names
 * one an update writes, with a plain mode. `--abort` restores what it holds, so a record the
 * agent wrote must never be acted on.
 */
export function readJournal(root: string, seals: SealStore): Journal | undefined {
  const text = readInRepo(root, JOURNAL_FILE);
  if (text === undefined) return undefined;
  const journal = parseRecord(text);
  const bad = [...journal.entries, ...journal.sides].find(
    (e) =>
      writeRefusal('team', e.path) !== undefined ||
      ('mode' in e && e.mode !== undefined && !isPlainMode(e.mode)),
  );
  if (bad)
    throw untrustedRecord(
      `it names "${bad.path}", which ${writeRefusal('team', bad.path) ?? 'has a file mode spine never gives'}`,
    );
  if (!isSealed(seals, 'update-record', text)) {
    throw untrustedRecord(`spine did not write it on this machine (no seal for it in ${seals.dir})`);
  }
  return journal;
}

function untrustedRecord(reason: string): UserError {
  return new UserError(
    `not an update record spine will act on: ${reason}; nothing was written. Restore the files with git (git checkout -- .claude .spine CLAUDE.md), then delete ${JOURNAL_DIR}/`,
    { file: JOURNAL_FILE },
  );
}

function parseRecord(text: Buffer): Journal {
  let value: Journal | undefined;
  try {
    value = JSON.parse(text.toString('utf8')) as Journal;
  } catch {
    value = undefined;
  }
  const ok =
    value?.journalVersion === 1 &&
    Array.isArray(value.entries) &&
    Array.isArray(value.sides) &&
    typeof value.to?.version === 'string' &&
    value.entries.every(
      (e) => typeof e?.path === 'string' && (e.before === null || typeof e.before === 'string'),
    ) &&
    value.sides.every((s) => typeof s?.path === 'string');
  if (!ok || !value) {
    throw new UserError(
      `not an update record spine wrote, so the update cannot be undone automatically; restore the files with git (git checkout -- .claude .spine CLAUDE.md), then delete ${JOURNAL_DIR}/`,
      { file: JOURNAL_FILE },
    );
  }
  return value;
}

export function journalExists(root: string): boolean {
  return readInRepo(root, JOURNAL_FILE) !== undefined;
}

/** The record of an update about to be applied, as writes of the same transaction. */
export function journalWrites(
  root: string,
  writes: UpdateWrite[],
  meta: Pick<Journal, 'from' | 'to'>,
  sides: ConflictSides[],
): TxnWrite[] {
  const journal: Journal = {
    journalVersion: 1,
    ...meta,
    entries: writes.map((w) => entryOf(root, w.path)),
    sides: sides.map((s) => ({
      path: s.path,
      ...(s.ours ? { ours: s.ours.toString('base64') } : {}),
      ...(s.base ? { base: s.base.toString('base64') } : {}),
      ...(s.theirs ? { theirs: s.theirs.toString('base64') } : {}),
    })),
  };
  return [
    { path: IGNORE_FILE, content: Buffer.from('*\n') },
    { path: JOURNAL_FILE, content: Buffer.from(`${JSON.stringify(journal)}\n`), seal: 'update-record' },
  ];
}

/** A path as it is before the update: bytes and mode (an executable script is put back as one). */
function entryOf(root: string, path: string): Journal['entries'][number] {
  const before = readInRepo(root, path);
  if (before === undefined) return { path, before: null };
  const mode = modeInRepo(root, path);
  return { path, before: before.toString('base64'), ...(mode === undefined ? {} : { mode }) };
}

/** Writes that remove the record (when the update is finished or undone). */
export function removeJournalWrites(): TxnWrite[] {
  return [{ path: JOURNAL_FILE, seal: 'update-record' }, { path: IGNORE_FILE }];
}

/** Writes that put every path back exactly as it was before the update, and drop the record. */
export function restoreWrites(journal: Journal): TxnWrite[] {
  return [
    ...journal.entries.map((e) => ({
      path: e.path,
      content: e.before === null ? undefined : Buffer.from(e.before, 'base64'),
      ...(e.before !== null && typeof e.mode === 'number' ? { mode: e.mode } : {}),
    })),
    ...removeJournalWrites(),
  ];
}

/** The three sides of one conflict, as the update recorded them. */
export function sidesOf(journal: Journal | undefined, path: string): ConflictSides | undefined {
  const found = journal?.sides.find((s) => s.path === path);
  if (!found) return undefined;
  const decode = (v?: string) => (v === undefined ? undefined : Buffer.from(v, 'base64'));
  return { path, ours: decode(found.ours), base: decode(found.base), theirs: decode(found.theirs) };
}

/** The record with the current bytes of paths it does not know yet, so `--abort` covers them too. */
export function addJournalEntries(root: string, seals: SealStore, paths: string[]): TxnWrite[] {
  const journal = readJournal(root, seals);
  if (!journal) return [];
  const known = new Set(journal.entries.map((e) => e.path));
  const added = paths.filter((p) => !known.has(p));
  if (added.length === 0) return [];
  for (const path of added) journal.entries.push(entryOf(root, path));
  return [
    { path: JOURNAL_FILE, content: Buffer.from(`${JSON.stringify(journal)}\n`), seal: 'update-record' },
  ];
}
