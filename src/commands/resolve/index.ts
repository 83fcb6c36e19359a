import { type Lock, serialiseLock } from '../../core/lock/lock.js';
import { withBlock } from '../../core/render/claude-block.js';
import { CLAUDE_MD, LOCK_FILE, SETTINGS_FILE } from '../../core/render/desired-state.js';
import { SettingsEditor } from '../../core/update/settings-editor.js';
import type { PendingConflict, UpdateWrite } from '../../core/update/types.js';
import { UserError } from '../../errors.js';
import { gitTopLevel } from '../../io/git.js';
import { addJournalEntries, readJournal, sidesOf } from '../../io/journal.js';
import { mergeFile } from '../../io/merge-file.js';
import { type Recovery, type RepoWriter, readInRepo, withRepoWriter } from '../../io/transaction/index.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { formatRecovery } from '../../output/recovery.js';
import { parseLock, parseSettingsFile, throwOnErrors } from '../../team/parse-team.js';
import { pendingOf } from '../update/finish.js';
import { describePending } from '../update/report.js';

export interface ResolveOptions extends BaseOptions {
  /** A path, a settings key or a guardrail id of a pending conflict. */
  target: string;
  side: 'ours' | 'theirs';
}

export interface ResolveResult {
  schemaVersion: 1;
  side: 'ours' | 'theirs';
  resolved: PendingConflict[];
  remaining: PendingConflict[];
  written: string[];
  /** An interrupted earlier write this run finished or rolled back first. */
  recovered?: Recovery;
}

/** Settles pending conflicts of an update by taking one side; the lock records what is left. */
export async function resolve(options: ResolveOptions): Promise<ResolveResult> {
  const root = await gitTopLevel(options.cwd);
  if (!root) throw new UserError('not a git repository', { file: options.cwd });
  return withRepoWriter(root, { command: 'resolve', stateDir: options.stateDir }, (writer) =>
    resolveIn(root, options, writer),
  );
}

async function resolveIn(root: string, options: ResolveOptions, writer: RepoWriter): Promise<ResolveResult> {
  const lockBytes = readInRepo(root, LOCK_FILE);
  if (!lockBytes)
    throw new UserError('this repository is not onboarded: run "spine init" first', { file: LOCK_FILE });
  const lock = await parseLock(LOCK_FILE, lockBytes);
  const pending = pendingOf(lock);
  const target = options.target.replace(/^\.\//, '');
  const matched = pending.filter(
    (p) => p.path === target || p.key === target || p.oursKey === target || p.id === target,
  );
  if (matched.length === 0) {
    throw new UserError(
      pending.length === 0 ? 'no conflicts are pending' : `no pending conflict matches "${options.target}"`,
      { file: LOCK_FILE },
      pending.map(describePending),
    );
  }
  const writes = await resolutionWrites(root, writer, matched, options.side);
  const remaining = pending.filter((p) => !matched.includes(p));
  const next: Lock = { ...lock, pending: remaining };
  if (remaining.length === 0) delete next.pending;
  // The record learns the paths first (so --abort covers them), the lock commits last.
  writer.apply([
    ...addJournalEntries(
      root,
      writer.seals,
      writes.map((w) => w.path),
    ),
    ...writes,
    { path: LOCK_FILE, content: Buffer.from(serialiseLock(next)) },
  ]);
  return {
    schemaVersion: 1,
    side: options.side,
    resolved: matched,
    remaining,
    written: writes.map((w) => w.path),
    ...(writer.recovered ? { recovered: writer.recovered } : {}),
  };
}

async function resolutionWrites(
  root: string,
  writer: RepoWriter,
  items: PendingConflict[],
  side: 'ours' | 'theirs',
): Promise<UpdateWrite[]> {
  const journal = readJournal(root, writer.seals);
  const writes: UpdateWrite[] = [];
  const settingsItems = items.filter((p) => p.kind === 'setting');
  for (const item of items.filter((p) => p.kind !== 'setting')) {
    const path = item.path!;
    const sides = sidesOf(journal, path);
    const current = readInRepo(root, path);
    if (item.side) writes.push({ path: item.side });
    if (item.kind === 'text' || item.kind === 'block') {
      if (!sides?.ours || !sides.base || !sides.theirs) throw missingJournal(path);
      // Redo the merge favouring one side: clean merges stay, only conflicting hunks pick a side.
      const labels = { ours: 'ours', base: 'base', theirs: 'theirs' };
      const merged = (await mergeFile(sides.ours, sides.base, sides.theirs, labels, side)).content;
      if (item.kind === 'text') writes.push({ path, content: merged });
      else
        writes.push({ path, content: Buffer.from(withBlock(current?.toString('utf8'), bodyOf(merged), '')) });
    } else if (side === 'theirs') {
      if (!sides?.theirs) throw missingJournal(path);
      if (item.kind === 'deleted' && path === CLAUDE_MD) {
        const text = current?.toString('utf8');
        writes.push({ path, content: Buffer.from(withBlock(text ?? '', bodyOf(sides.theirs), '')) });
      } else {
        writes.push({ path, content: sides.theirs });
      }
    }
  }
  if (side === 'theirs') {
    // The root's settings and each launch directory's (docs/monorepos.md), one edit per file.
    const files = new Set(settingsItems.map((item) => item.path ?? SETTINGS_FILE));
    for (const file of files) {
      if (file !== SETTINGS_FILE && !file.endsWith(`/${SETTINGS_FILE}`))
        throw new UserError('invalid lock: a settings conflict names a file that is not settings', { file });
      const text = readInRepo(root, file)?.toString('utf8') ?? '{}\n';
      throwOnErrors((await parseSettingsFile(file, Buffer.from(text))).problems);
      const editor = new SettingsEditor(text);
      for (const item of settingsItems.filter((i) => (i.path ?? SETTINGS_FILE) === file)) {
        if (item.oursKey && item.oursKey !== item.key) editor.set(item.oursKey, undefined);
        editor.set(item.key!, item.theirs === null ? undefined : item.theirs);
      }
      const out = editor.finish();
      throwOnErrors((await parseSettingsFile(file, Buffer.from(out))).problems);
      if (out !== text) writes.push({ path: file, content: Buffer.from(out) });
    }
  }
  return writes;
}

function bodyOf(content: Buffer): string {
  return content.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '');
}

function missingJournal(path: string): UserError {
  return new UserError(
    'the update journal (.spine/update/) has no record of this conflict; edit the file by hand',
    {
      file: path,
    },
  );
}

export async function runResolve(options: ResolveOptions, out: Output): Promise<void> {
  const result = await resolve(options);
  if (out.isJson) return out.json(result);
  if (result.recovered) out.err(formatRecovery(result.recovered));
  for (const item of result.resolved) out.out(`resolved ${describePending(item)} (${result.side})`);
  out.out(
    result.remaining.length === 0
      ? 'No conflicts left: run "spine update --continue" to finish the update.'
      : `${result.remaining.length} conflict(s) left.`,
  );
}
