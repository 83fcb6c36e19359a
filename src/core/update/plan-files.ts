import { contentHash } from '../hash.js';
import type { Lock } from '../lock/lock.js';
import { problem } from '../problems.js';
import type { ManagedFile } from '../render/desired-state.js';
import { type Rename, renameTarget } from './renames.js';
import { decideFile, type FileDecision } from './three-way-file.js';
import type { FilesOutcome, MergeText } from './types.js';

export interface FilesInput {
  lockFiles: Lock['files'];
  /** The locked version re-rendered; undefined when it cannot be rebuilt. */
  base: Map<string, Buffer> | undefined;
  theirs: ManagedFile[];
  /** The repo now, for every path in the lock, in the new version and every rename target. */
  ours: Map<string, Buffer | undefined>;
  /**
   * Paths reached through a symlink (the file itself or a directory above it). Removing one would
   * delete the link's target, which the agent may have chosen: such a file is left in place.
   */
  linked?: Set<string>;
  renames: Rename[];
  versions: { base: string; theirs: string };
  merge: MergeText;
}

/** Where the other side of a conflict is written: beside the file, extension kept. */
export function sidePath(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot > slash + 1 ? `${path.slice(0, dot)}.spine-theirs${path.slice(dot)}` : `${path}.spine-theirs`;
}

/** Every managed file through the decision table, with renames carried and deletions kept safe. */
export async function planFiles(input: FilesInput): Promise<FilesOutcome> {
  const { lockFiles, ours } = input;
  const out: FilesOutcome = { rows: [], writes: [], pending: [], sides: [], warnings: [], moves: [] };
  const theirs = new Map(input.theirs.map((f) => [f.path, f.content]));
  const renamed = new Map<string, string>();
  for (const from of Object.keys(lockFiles)) {
    if (theirs.has(from)) continue;
    const to = renameTarget(from, input.renames);
    // A team file already at the new path is not clobbered: the move is then a delete plus an add.
    if (to && theirs.has(to) && !lockFiles[to] && ours.get(to) === undefined) renamed.set(from, to);
  }
  const targets = new Set(renamed.values());
  const paths = [...new Set([...Object.keys(lockFiles), ...theirs.keys()])].sort();

  // Merges run concurrently (each is a git process); results are recorded in path order.
  const steps = await Promise.all(
    paths.map(async (path): Promise<(() => void) | undefined> => {
      if (targets.has(path)) return undefined;
      const locked = lockFiles[path];
      const next = theirs.get(path);
      const current = ours.get(path);
      if (!locked) return () => planAdded(out, path, current, next!);
      if (renamed.has(path)) {
        const to = renamed.get(path)!;
        const decision = await decide(input, locked.hash, current, input.base?.get(path), theirs.get(to)!);
        return () => record(out, decision, { path: to, from: path, current, next: theirs.get(to)! });
      }
      if (next === undefined)
        return () => planRemoved(out, path, input.linked?.has(path) ? 'linked' : current, locked.hash);
      const decision = await decide(input, locked.hash, current, input.base?.get(path), next);
      return () => record(out, decision, { path, current, next });
    }),
  );
  for (const step of steps) step?.();
  return out;
}

function decide(
  input: FilesInput,
  lockHash: string,
  ours: Buffer | undefined,
  base: Buffer | undefined,
  theirs: Buffer,
) {
  return decideFile({ lockHash, ours, base, theirs, versions: input.versions, merge: input.merge });
}

function planAdded(out: FilesOutcome, path: string, current: Buffer | undefined, next: Buffer): void {
  if (current === undefined) {
    out.writes.push({ path, content: next });
    out.rows.push({ status: 'added', path, note: 'new in this version' });
  } else if (contentHash(current) !== contentHash(next)) {
    // The team has its own file where the spine now puts one: keep it, offer the spine's beside it.
    const side = sidePath(path);
    out.writes.push({ path: side, content: next });
    out.rows.push({
      status: 'conflict',
      path,
      note: `the team's own file is in the way; the spine's is in ${side}`,
    });
    out.pending.push({ kind: 'exists', path, ours: contentHash(current), theirs: contentHash(next), side });
    out.sides.push({ path, ours: current, theirs: next });
  }
}

function planRemoved(
  out: FilesOutcome,
  path: string,
  current: Buffer | undefined | 'linked',
  lockHash: string,
): void {
  if (current === undefined) return;
  if (current === 'linked') {
    out.rows.push({
      status: 'kept-team-owned',
      path,
      note: 'removed from the spine but a link here: left in place',
    });
  } else if (contentHash(current) === lockHash) {
    out.writes.push({ path });
    out.rows.push({ status: 'deleted', path, note: 'removed from the spine' });
  } else {
    out.rows.push({
      status: 'kept-team-owned',
      path,
      note: "removed from the spine but edited here: now the team's",
    });
  }
}

interface Target {
  path: string;
  from?: string;
  current: Buffer | undefined;
  next: Buffer;
}

function record(out: FilesOutcome, decision: FileDecision, { path, from, current, next }: Target): void {
  const moved = from ? `moved from ${from}; ` : '';
  const move = () => {
    if (!from || current === undefined) return;
    out.writes.push({ path: from });
    out.moves.push({ from, to: path });
  };
  switch (decision.type) {
    case 'keep':
      if (from && current !== undefined) {
        out.writes.push({ path, content: current });
        move();
        out.rows.push({ status: 'renamed', path, note: `${moved}${decision.note}` });
      }
      return;
    case 'kept-deleted':
      out.rows.push({
        status: 'kept-deleted',
        path,
        note: 'deleted here; unchanged upstream, stays deleted',
      });
      return;
    case 'write':
      out.writes.push({ path, content: decision.content });
      move();
      out.rows.push({
        status: from ? 'renamed' : decision.status,
        path,
        note: `${moved}${decision.status === 'merged' ? 'local edits merged with the new version' : 'new version'}`,
      });
      if (decision.twoWay) out.warnings.push(twoWayWarning(path));
      return;
    case 'conflict-text':
      out.writes.push({ path, content: decision.content });
      move();
      out.rows.push({
        status: 'conflict',
        path,
        note: `${moved}${plural(decision.regions, 'conflict region')}`,
        regions: decision.regions,
      });
      out.pending.push({
        kind: 'text',
        path,
        ours: contentHash(current!),
        theirs: contentHash(next),
        regions: decision.regions,
      });
      out.sides.push({ path, ours: current, base: decision.base, theirs: next });
      if (decision.twoWay) out.warnings.push(twoWayWarning(path));
      return;
    case 'conflict-binary': {
      const side = sidePath(path);
      if (from) {
        out.writes.push({ path, content: current! });
        move();
      }
      out.writes.push({ path: side, content: next });
      out.rows.push({
        status: 'conflict',
        path,
        note: `${moved}binary, changed on both sides; the new version is in ${side}`,
      });
      out.pending.push({
        kind: 'binary',
        path,
        ours: contentHash(current!),
        theirs: contentHash(next),
        side,
      });
      out.sides.push({ path, ours: current, theirs: next });
      return;
    }
    case 'conflict-deleted':
      out.rows.push({ status: 'conflict', path, note: 'deleted here but changed upstream; kept deleted' });
      out.pending.push({ kind: 'deleted', path, ours: null, theirs: contentHash(next) });
      out.sides.push({ path, theirs: next });
      return;
  }
}

function twoWayWarning(path: string) {
  return problem(
    'update-two-way',
    'the locked version of this file could not be rebuilt (or its hash differs from the lock): merged two-way, check the result',
    { file: path },
    'warning',
  );
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
