import { realpathSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isExecutableMode } from '../../core/file-mode.js';
import { isPlainMode, writeRefusal, writerKind } from '../../core/managed-paths.js';
import { writeTarget } from './contain.js';
import {
  makeDirs,
  missingDirs,
  readState,
  removeEmptyDirs,
  removeFile,
  removeTemps,
  replaceFile,
} from './file-ops.js';
import { type JournalEntry, removeJournal, sha256, type TxnJournal, writeJournal } from './journal.js';
import { type SealName, type SealStore, sealedHashes, setSeal } from './seal.js';
import { refusedWrite } from './trust.js';

/** One change in a transaction: new bytes, or `content` undefined to delete the path. */
export interface TxnWrite {
  path: string;
  content?: Buffer;
  /**
   * The mode to give the file (0o755 for a script, 0o644 to drop an x bit); undefined keeps the
   * mode it has (a new file gets the default). Only the x bit is compared: a file that is
   * already executable keeps its exact mode.
   */
  mode?: number;
  /** Seal the content written here (a record spine must later prove it wrote: update's record). */
  seal?: SealName;
}

export interface TxnHooks {
  /** Called before each write (index into the writes given); a test throws here. */
  beforeWrite?: (path: string, index: number) => void;
}

/** The file that commits a transaction: always written last. */
export const COMMIT_FILE = '.spine/lock.json';

/**
 * Applies writes as one transaction: the journal (what each path was and will be) is made
 * durable first, then each file is replaced atomically, the lock last; the journal is removed
 * when all are done. A failure rolls everything back at once; a crash is rolled back or
 * completed by the next writer (recover.ts). Returns the repo-relative paths really written.
 */
export function applyTransaction(
  repo: string,
  command: string,
  writes: TxnWrite[],
  seals: SealStore,
  hooks: TxnHooks = {},
): string[] {
  const root = realpathSync(repo);
  const kind = writerKind(command);
  // A path given twice is written once, with its last content, at its first place.
  const last = new Map(writes.map((w, index) => [w.path, { ...w, index }] as const));
  const ordered = writes
    .map((w, index) => ({ ...last.get(w.path)!, index }))
    .filter((w, i, all) => all.findIndex((o) => o.path === w.path) === i)
    .sort((a, b) => Number(a.path === COMMIT_FILE) - Number(b.path === COMMIT_FILE));
  const planned: { write: (typeof ordered)[number]; target: string; entry: JournalEntry }[] = [];
  const seen = new Set<string>();
  for (const write of ordered) {
    const refusal = writeRefusal(kind, write.path);
    if (refusal) throw refusedWrite(write.path, refusal);
    if (write.mode !== undefined && !isPlainMode(write.mode))
      throw refusedWrite(write.path, 'would get a file mode spine never gives');
    const { path: target, rel } = writeTarget(root, write.path);
    if (seen.has(rel)) continue;
    seen.add(rel);
    const before = readState(target, write.path);
    const modeAfter = targetMode(before?.mode, write.mode);
    const same =
      write.content === undefined
        ? before === undefined
        : before?.content.equals(write.content) && (modeAfter === undefined || modeAfter === before.mode);
    if (same) continue;
    const dirs = write.content === undefined ? [] : missingDirs(root, dirname(target));
    planned.push({
      write,
      target,
      entry: {
        path: rel,
        ...(rel !== write.path ? { via: write.path } : {}),
        before: before ? before.content.toString('base64') : null,
        mode: before ? before.mode : null,
        after: write.content === undefined ? null : sha256(write.content),
        ...(write.content !== undefined && modeAfter !== undefined ? { modeAfter } : {}),
        dirs: dirs.map((d) => relative(root, d)),
        ...(write.seal ? { seal: write.seal } : {}),
      },
    });
  }
  if (planned.length === 0) return [];
  const journal: TxnJournal = {
    journalVersion: 2,
    command,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    entries: planned.map((p) => p.entry),
  };
  // A sealed record is trusted in its old and new content while the transaction runs.
  const sealed = planned.flatMap((p) => (p.write.seal ? [{ name: p.write.seal, after: p.entry.after }] : []));
  const sealsBefore = new Map(sealed.map((s) => [s.name, sealedHashes(seals, s.name)] as const));
  for (const s of sealed) if (s.after) setSeal(seals, s.name, [...sealsBefore.get(s.name)!, s.after]);
  writeJournal(root, journal, seals);
  try {
    for (const { write, target, entry } of planned) {
      hooks.beforeWrite?.(write.path, write.index);
      if (write.content === undefined) {
        // Directories a deletion empties go too, but never the repo's .claude itself.
        removeFile(target, [root, join(root, '.claude')]);
      } else {
        makeDirs(entry.dirs.map((d) => join(root, d)));
        replaceFile(target, write.content, entry.modeAfter ?? entry.mode ?? undefined);
      }
    }
  } catch (error) {
    try {
      rollBack(root, journal);
      removeJournal(root, seals);
      for (const [name, hashes] of sealsBefore) setSeal(seals, name, hashes);
    } catch {
      // The journal stays; the next writer rolls back what this one could not.
    }
    throw error;
  }
  for (const s of sealed) setSeal(seals, s.name, s.after ? [s.after] : []);
  removeJournal(root, seals);
  return planned.map((p) => p.entry.path);
}

/**
 * The mode a write leaves: none asked keeps what is there; one asked whose x bit the file already
 * has keeps its exact mode (group bits a umask gave); otherwise the mode asked.
 */
function targetMode(before: number | undefined, asked: number | undefined): number | undefined {
  if (asked === undefined) return undefined;
  if (before !== undefined && isExecutableMode(before) === isExecutableMode(asked)) return before;
  return asked;
}

/** Puts every entry back as it was (only what differs), newest first; returns the paths touched. */
export function rollBack(repo: string, journal: TxnJournal): string[] {
  const root = realpathSync(repo);
  const touched: string[] = [];
  for (const entry of [...journal.entries].reverse()) {
    const { path: target } = writeTarget(root, entry.path);
    removeTemps(target);
    const now = readState(target, entry.path);
    const before = entry.before === null ? undefined : Buffer.from(entry.before, 'base64');
    if (before === undefined) {
      if (now !== undefined) {
        rmSync(target, { force: true });
        touched.push(entry.path);
      }
    } else if (!now?.content.equals(before) || now.mode !== entry.mode) {
      makeDirs([dirname(target)]);
      replaceFile(target, before, entry.mode ?? undefined);
      touched.push(entry.path);
    }
    removeEmptyDirs(entry.dirs.map((d) => join(root, d)));
  }
  return touched.reverse();
}
