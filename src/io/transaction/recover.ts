import { realpathSync } from 'node:fs';
import { rollBack } from './apply.js';
import { writeTarget } from './contain.js';
import { readState, removeTemps } from './file-ops.js';
import { readJournal, removeJournal, sha256 } from './journal.js';

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
 * (modes included).
 */
export function recoverTransaction(repo: string): Recovery | undefined {
  const journal = readJournal(repo);
  if (!journal) return undefined;
  const root = realpathSync(repo);
  const committed = journal.entries.every((entry) => {
    const { path } = writeTarget(root, entry.path);
    const now = readState(path, entry.path);
    return entry.after === null
      ? now === undefined
      : now !== undefined &&
          sha256(now.content) === entry.after &&
          (entry.modeAfter === undefined || now.mode === entry.modeAfter);
  });
  let paths: string[];
  if (committed) {
    for (const entry of journal.entries) removeTemps(writeTarget(root, entry.path).path);
    paths = journal.entries.map((e) => e.path);
  } else {
    paths = rollBack(root, journal);
  }
  removeJournal(root);
  return {
    action: committed ? 'completed' : 'rolled-back',
    command: journal.command,
    startedAt: journal.startedAt,
    paths,
  };
}
