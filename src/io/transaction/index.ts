import { existsSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../../errors.js';
import { applyTransaction, type TxnHooks, type TxnWrite } from './apply.js';
import { writeTarget } from './contain.js';
import { makeDirs, missingDirs, removeEmptyDirs, replaceFile } from './file-ops.js';
import { TXN_DIR } from './journal.js';
import { acquireLockFile } from './lock-file.js';
import { type Recovery, recoverTransaction } from './recover.js';
import { type SealStore, sealStore } from './seal.js';
import { loadJournal } from './trust.js';

export type { TxnHooks, TxnWrite } from './apply.js';
export {
  executableInRepo,
  isPlainFileInRepo,
  modeInRepo,
  readInRepo,
  readInRepoWithMode,
  readTarget,
  resolveInside,
  writeTarget,
} from './contain.js';
export { removeEmptyDirs } from './file-ops.js';
export type { Recovery } from './recover.js';
export { previewRecovery } from './recover.js';
export { isSealed, type SealStore, sealStore } from './seal.js';

/** The one writer of a repository while a command runs. */
export interface RepoWriter {
  root: string;
  /** Where the proofs of spine's records in this repo are kept (outside it). */
  seals: SealStore;
  /** What this writer found and did about a transaction a crash interrupted. */
  recovered?: Recovery;
  /** Applies writes as one crash-safe transaction (see apply.ts); returns the paths written. */
  apply(writes: TxnWrite[], hooks?: TxnHooks): string[];
}

export const WRITER_LOCK = `${TXN_DIR}/writer.lock`;
const WAIT_MS = 3000;

export interface WriterOptions {
  /** The command, recorded in the journal: it decides which paths the writer may write. */
  command: string;
  /** spine's state directory ($XDG_STATE_HOME/spine): where seals are kept. */
  stateDir: string;
}

/**
 * Runs `work` as the repository's only spine writer: takes `.spine/txn/writer.lock` (a live
 * holder is waited for briefly, then exit 2 naming it; a dead one is taken over), finishes or
 * rolls back a transaction a crash left, and cleans up after itself. Read the repo inside
 * `work`, so the plan is made from the state the writes will replace. A journal spine did not
 * write is refused before anything is written, the lock included.
 */
export async function withRepoWriter<T>(
  repo: string,
  { command, stateDir }: WriterOptions,
  work: (writer: RepoWriter) => Promise<T>,
): Promise<T> {
  const root = realpathSync(repo);
  const seals = sealStore(stateDir, root);
  const dir = writeTarget(root, TXN_DIR).path;
  if (relative(root, dir) !== TXN_DIR) {
    throw new UserError(
      `refusing to keep spine's transaction state behind a symbolic link; replace it with a directory`,
      {
        file: TXN_DIR,
      },
    );
  }
  loadJournal(root, seals);
  const created = missingDirs(root, dir);
  let release: (() => void) | undefined;
  try {
    makeDirs(created);
    const ignore = join(dir, '.gitignore');
    if (!existsSync(ignore)) replaceFile(ignore, Buffer.from('*\n'));
    release = await acquireLockFile(join(dir, 'writer.lock'), {
      waitMs: WAIT_MS,
      guards: 'this repository',
      command,
      display: WRITER_LOCK,
    });
    const recovered = recoverTransaction(root, seals);
    return await work({
      root,
      seals,
      recovered,
      apply: (writes, hooks) => applyTransaction(root, command, writes, seals, hooks),
    });
  } finally {
    release?.();
    tidy(root, dir, created);
  }
}

/** Leaves no trace of a finished writer: the state directory goes once nothing is in it. */
function tidy(_root: string, dir: string, created: string[]): void {
  try {
    const names = readdirSync(dir);
    // Temps a killed writer left (journal, lock record, .gitignore) go with the directory.
    const mine = (n: string) => n === '.gitignore' || n.endsWith('.tmp');
    if (!names.every(mine)) return; // a journal to recover, or another writer's lock
    for (const name of names) rmSync(join(dir, name), { force: true });
    removeEmptyDirs(created.length > 0 ? created : [dir]);
  } catch {
    // Tidying is best effort; a leftover empty directory harms nothing.
  }
}
