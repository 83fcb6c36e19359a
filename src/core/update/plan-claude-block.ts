import { contentHash } from '../hash.js';
import { findBlock, withBlock } from '../render/claude-block.js';
import { CLAUDE_MD } from '../render/desired-state.js';
import { decideFile } from './three-way-file.js';
import type { FilesOutcome, MergeText } from './types.js';

export interface BlockInput {
  /** CLAUDE.md as it is now. */
  claudeMd: string | undefined;
  /** The lock's hash of the block body the locked version wrote. */
  lockHash: string | undefined;
  base: string | undefined;
  theirs: string;
  versions: { base: string; theirs: string };
  merge: MergeText;
}

/**
 * The managed block of CLAUDE.md is a managed text of its own: its body goes through the same
 * table and merge as a file, and every byte outside the block is kept.
 */
export async function planClaudeBlock(input: BlockInput, out: FilesOutcome): Promise<void> {
  const { claudeMd, lockHash, theirs } = input;
  const span = claudeMd === undefined ? undefined : findBlock(claudeMd);
  const body = (text: string) => Buffer.from(`${text}\n`, 'utf8');
  if (lockHash === undefined) return;
  // The lock hashes the body without a final newline; the merge wants whole lines, so the
  // lock's hash is carried over to whichever known body it matches.
  const known = [span?.body, input.base, theirs].find((t) => t !== undefined && contentHash(t) === lockHash);
  const decision = await decideFile({
    lockHash: known === undefined ? 'sha256:unknown' : contentHash(body(known)),
    ours: span ? body(span.body) : undefined,
    base: input.base === undefined ? undefined : body(input.base),
    theirs: body(theirs),
    versions: input.versions,
    merge: input.merge,
  });
  const write = (merged: Buffer) => {
    const text = merged.toString('utf8').replace(/\r?\n$/, '');
    out.writes.push({ path: CLAUDE_MD, content: Buffer.from(withBlock(claudeMd, text, '')) });
  };
  switch (decision.type) {
    case 'keep':
      return;
    case 'kept-deleted':
      out.rows.push({
        status: 'kept-deleted',
        path: CLAUDE_MD,
        note: 'spine block removed here; stays removed',
      });
      return;
    case 'write':
      write(decision.content);
      out.rows.push({
        status: decision.status,
        path: CLAUDE_MD,
        note: decision.status === 'merged' ? 'spine block: local edits merged' : 'spine block updated',
      });
      return;
    case 'conflict-text':
      write(decision.content);
      out.rows.push({
        status: 'conflict',
        path: CLAUDE_MD,
        note: `spine block: ${decision.regions} conflict region${decision.regions === 1 ? '' : 's'}`,
        regions: decision.regions,
      });
      out.pending.push({
        kind: 'block',
        path: CLAUDE_MD,
        ours: contentHash(span!.body),
        theirs: contentHash(theirs),
        regions: decision.regions,
      });
      out.sides.push({ path: CLAUDE_MD, ours: body(span!.body), base: decision.base, theirs: body(theirs) });
      return;
    default:
      out.rows.push({
        status: 'conflict',
        path: CLAUDE_MD,
        note: 'spine block removed here but changed upstream; kept removed',
      });
      out.pending.push({ kind: 'deleted', path: CLAUDE_MD, ours: null, theirs: contentHash(theirs) });
      out.sides.push({ path: CLAUDE_MD, theirs: body(theirs) });
  }
}
