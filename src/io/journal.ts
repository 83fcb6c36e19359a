import { mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConflictSides, UpdateWrite } from '../core/update/types.js';
import { insideRoot, readIfExists, writeAtomic } from './fs.js';

/** Where an unfinished update keeps what it needs to be undone; it ignores itself in git. */
export const JOURNAL_DIR = '.spine/update';
const JOURNAL_FILE = `${JOURNAL_DIR}/journal.json`;

export interface Journal {
  journalVersion: 1;
  from: { version: string; commit?: string };
  to: { version: string; commit?: string };
  /** Every path the update touched, with its bytes before (base64; null = it did not exist). */
  entries: { path: string; before: string | null }[];
  /** The three sides of each conflict, for `spine resolve`. */
  sides: { path: string; ours?: string; base?: string; theirs?: string }[];
}

export function readJournal(root: string): Journal | undefined {
  const text = readIfExists(join(root, JOURNAL_FILE));
  return text === undefined ? undefined : (JSON.parse(text.toString('utf8')) as Journal);
}

export function journalExists(root: string): boolean {
  return readIfExists(join(root, JOURNAL_FILE)) !== undefined || dirExists(join(root, JOURNAL_DIR));
}

export interface JournalHooks {
  /** Called before each write; a test throws here to prove the rollback. */
  beforeWrite?: (path: string, index: number) => void;
}

/**
 * Records every path's current bytes in the journal, then applies the writes in order (the
 * lock last), each atomically. If one fails, everything is put back and the journal removed;
 * on success the journal stays until `--continue` or `--abort`.
 */
export function applyWithJournal(
  root: string,
  writes: UpdateWrite[],
  meta: Pick<Journal, 'from' | 'to'>,
  sides: ConflictSides[],
  hooks: JournalHooks = {},
): void {
  const journal: Journal = {
    journalVersion: 1,
    ...meta,
    entries: writes.map((w) => {
      const before = readIfExists(insideRoot(root, w.path));
      return { path: w.path, before: before === undefined ? null : before.toString('base64') };
    }),
    sides: sides.map((s) => ({
      path: s.path,
      ...(s.ours ? { ours: s.ours.toString('base64') } : {}),
      ...(s.base ? { base: s.base.toString('base64') } : {}),
      ...(s.theirs ? { theirs: s.theirs.toString('base64') } : {}),
    })),
  };
  mkdirSync(join(root, JOURNAL_DIR), { recursive: true });
  writeFileSync(join(root, JOURNAL_DIR, '.gitignore'), '*\n');
  writeAtomic(join(root, JOURNAL_FILE), `${JSON.stringify(journal)}\n`);
  try {
    writes.forEach((w, index) => {
      hooks.beforeWrite?.(w.path, index);
      writePath(root, w.path, w.content);
    });
  } catch (error) {
    restoreJournal(root);
    throw error;
  }
}

/** Puts every path back exactly as it was before the update and removes the journal. */
export function restoreJournal(root: string): string[] {
  const journal = readJournal(root);
  const restored: string[] = [];
  for (const entry of [...(journal?.entries ?? [])].reverse()) {
    writePath(root, entry.path, entry.before === null ? undefined : Buffer.from(entry.before, 'base64'));
    restored.push(entry.path);
  }
  removeJournal(root);
  return restored.reverse();
}

export function removeJournal(root: string): void {
  rmSync(join(root, JOURNAL_DIR), { recursive: true, force: true });
}

/** The three sides of one conflict, as the update recorded them. */
export function sidesOf(journal: Journal | undefined, path: string): ConflictSides | undefined {
  const found = journal?.sides.find((s) => s.path === path);
  if (!found) return undefined;
  const decode = (v?: string) => (v === undefined ? undefined : Buffer.from(v, 'base64'));
  return { path, ours: decode(found.ours), base: decode(found.base), theirs: decode(found.theirs) };
}

/** Writes (creating directories) or deletes one repo path; a deletion prunes emptied directories. */
export function writePath(root: string, path: string, content: Buffer | undefined): void {
  const target = insideRoot(root, path);
  if (content !== undefined) {
    mkdirSync(dirname(target), { recursive: true });
    writeAtomic(target, content);
    return;
  }
  rmSync(target, { force: true });
  let dir = dirname(target);
  while (dir.length > root.length && dir !== join(root, '.claude') && isEmptyDir(dir)) {
    rmdirSync(dir);
    dir = dirname(dir);
  }
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

function dirExists(dir: string): boolean {
  try {
    readdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

/** Records the current bytes of paths the journal does not know yet, so `--abort` covers them too. */
export function addJournalEntries(root: string, paths: string[]): void {
  const journal = readJournal(root);
  if (!journal) return;
  const known = new Set(journal.entries.map((e) => e.path));
  const added = paths.filter((p) => !known.has(p));
  if (added.length === 0) return;
  for (const path of added) {
    const before = readIfExists(insideRoot(root, path));
    journal.entries.push({ path, before: before === undefined ? null : before.toString('base64') });
  }
  writeAtomic(join(root, JOURNAL_FILE), `${JSON.stringify(journal)}\n`);
}
