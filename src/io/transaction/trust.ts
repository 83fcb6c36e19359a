import { sep } from 'node:path';
import { forbiddenPath, isPlainMode, writeRefusal, writerKind } from '../../core/managed-paths.js';
import { UserError } from '../../errors.js';
import { resolveInside } from './contain.js';
import {
  journalSealed,
  parseJournal,
  readJournalBytes,
  TXN_JOURNAL,
  type TxnJournal,
  untrustedJournal,
} from './journal.js';
import type { SealStore } from './seal.js';

/**
 * The journal of an interrupted transaction, if any, once it has proved it is spine's: every
 * entry names a path that journal's command could have written, reached through no link it did
 * not record, with a plain mode; and its bytes are sealed (seal.ts). Anything else is exit 2,
 * naming the journal and the entry, before anything is written.
 */
export function loadJournal(root: string, seals: SealStore): TxnJournal | undefined {
  const bytes = readJournalBytes(root);
  if (bytes === undefined) return undefined;
  const journal = parseJournal(bytes);
  if (!journal) throw untrustedJournal('not a transaction journal spine wrote');
  const problem = journalProblem(root, journal);
  if (problem) throw untrustedJournal(problem);
  if (!journalSealed(bytes, seals)) {
    throw untrustedJournal(
      `a transaction journal spine did not write on this machine (no seal for it in ${seals.dir})`,
    );
  }
  return journal;
}

/** What makes a journal's entries untrustworthy, naming the first bad entry; undefined when none. */
export function journalProblem(root: string, journal: TxnJournal): string | undefined {
  const kind = writerKind(journal.command);
  for (const [index, entry] of journal.entries.entries()) {
    const named = `entry ${index + 1} ("${entry.path}")`;
    const logical = entry.via ?? entry.path;
    const refusal = forbiddenPath(entry.path) ?? writeRefusal(kind, logical);
    if (refusal) return `${named} ${refusal}`;
    const found = resolveInside(root, logical);
    if ('outsideVia' in found || found.rel.split(sep).join('/') !== entry.path)
      return `${named} is reached through a symbolic link spine did not record`;
    if (
      (entry.mode !== null && !isPlainMode(entry.mode)) ||
      (entry.modeAfter !== undefined && !isPlainMode(entry.modeAfter))
    )
      return `${named} asks for a file mode spine never gives`;
    if (entry.dirs.some((d) => !entry.path.startsWith(`${d}/`) || forbiddenPath(d)))
      return `${named} names a directory that does not lead to it`;
  }
  return undefined;
}

export function refusedWrite(path: string, reason: string): UserError {
  return new UserError(`refusing to write "${path}": it ${reason}`, { file: path });
}

export { TXN_JOURNAL };
