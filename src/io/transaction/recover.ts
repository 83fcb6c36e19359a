import { realpathSync } from 'node:fs';
import { rollBack } from './apply.js';
import { writeTarget } from './contain.js';
import { readState, removeTemps } from './file-ops.js';
import { removeJournal, sha256, type TxnJournal } from './journal.js';
import { type SealStore, setSeal } from './seal.js';
import { loadJournal } from './trust.js';

/** What the next writer did about a transaction a crash interrupted. */
export interface Recovery {
  /** completed: every file already had its new content (the lock included), only cleanup was left. */
  action: 'completed' | 'rolled-back';
  /** The command that was interrupted. */
  command: string;
  startedAt: string;
  /** Paths put back (rolled-back) or confirmed (completed). */
  paths: string[];
}

/**
 * Finishes or undoes an interrupted transaction. The lock is written last, so when every path
 * already holds its new content (and the mode it asked for) the transaction had committed and
 * only its journal is left; anything less is rolled back to the state before, byte for byte
 * (modes included). A journal that does not prove it is spine's is refused before any write.
 */
export function recoverTransaction(repo: string, seals: SealStore): Recovery | undefined {
  const root = realpathSync(repo);
  const journal = loadJournal(root, seals);
  if (!journal) return undefined;
  const committed = isCommitted(root, journal);
  let paths: string[];
  if (committed) {
    for (const entry of journal.entries) removeTemps(writeTarget(root, entry.path).path);
    for (const entry of journal.entries)
      if (entry.seal) setSeal(seals, entry.seal, entry.after ? [entry.after] : []);
    paths = journal.entries.map((e) => e.path);
  } else {
    paths = rollBack(root, journal);
  }
  removeJournal(root, seals);
  return {
    action: committed ? 'completed' : 'rolled-back',
    command: journal.command,
    startedAt: journal.startedAt,
    paths,
  };
}

/**
 * What recovery would do, without doing it: for read-only doctor. Throws like recovery does for
 * a journal spine did not write.
 */
export function previewRecovery(repo: string, seals: SealStore): Recovery | undefined {
  const root = realpathSync(repo);
  const journal = loadJournal(root, seals);
  if (!journal) return undefined;
  const committed = isCommitted(root, journal);
  const paths = committed
    ? journal.entries.map((e) => e.path)
    : journal.entries.filter((entry) => !holdsBefore(root, entry)).map((e) => e.path);
  return {
    action: committed ? 'completed' : 'rolled-back',
    command: journal.command,
    startedAt: journal.startedAt,
    paths,
  };
}

function isCommitted(root: string, journal: TxnJournal): boolean {
  return journal.entries.every((entry) => {
    const { path } = writeTarget(root, entry.path);
    const now = readState(path, entry.path);
    return entry.after === null
      ? now === undefined
      : now !== undefined &&
          sha256(now.content) === entry.after &&
          (entry.modeAfter === undefined || now.mode === entry.modeAfter);
  });
}

function holdsBefore(root: string, entry: TxnJournal['entries'][number]): boolean {
  const now = readState(writeTarget(root, entry.path).path, entry.path);
  if (entry.before === null) return now === undefined;
  return now?.content.equals(Buffer.from(entry.before, 'base64')) === true && now.mode === entry.mode;
}
