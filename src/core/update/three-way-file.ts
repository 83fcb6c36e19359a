import { contentHash, isText } from '../hash.js';
import { countConflictRegions } from './conflict-markers.js';
import { matchEol } from './eol.js';
import { commonLinesBase } from './two-way-base.js';
import type { MergeText } from './types.js';

/** The decision for one managed file present in both versions of the spine. */
export type FileDecision =
  | { type: 'keep'; note: string }
  | { type: 'kept-deleted' }
  | { type: 'write'; content: Buffer; status: 'updated' | 'merged'; twoWay: boolean }
  | { type: 'conflict-text'; content: Buffer; regions: number; twoWay: boolean; base: Buffer }
  | { type: 'conflict-binary' }
  | { type: 'conflict-deleted' };

export interface ThreeWayInput {
  /** Hash of what the locked version wrote. */
  lockHash: string;
  ours: Buffer | undefined;
  /** The locked version re-rendered; trusted only if it hashes to `lockHash`. */
  base: Buffer | undefined;
  theirs: Buffer;
  versions: { base: string; theirs: string };
  merge: MergeText;
}

/**
 * The file-level table: ours = base → theirs; theirs = base or theirs = ours → ours; both
 * changed → git merge-file (text) or a conflict (binary, which is never text-merged). When the
 * base cannot be trusted the merge is two-way, against the lines both sides share.
 */
export async function decideFile({
  lockHash,
  ours,
  base,
  theirs,
  versions,
  merge,
}: ThreeWayInput): Promise<FileDecision> {
  const theirsHash = contentHash(theirs);
  if (ours === undefined)
    return theirsHash === lockHash ? { type: 'kept-deleted' } : { type: 'conflict-deleted' };
  const oursHash = contentHash(ours);
  if (oursHash === lockHash) {
    if (theirsHash === lockHash) return { type: 'keep', note: 'unchanged' };
    return { type: 'write', content: matchEol(theirs, ours), status: 'updated', twoWay: false };
  }
  if (theirsHash === lockHash) return { type: 'keep', note: 'local edits kept; unchanged upstream' };
  if (theirsHash === oursHash) return { type: 'keep', note: 'same change on both sides' };
  if (!isText(ours) || !isText(theirs) || (base !== undefined && !isText(base)))
    return { type: 'conflict-binary' };

  const trusted = base !== undefined && contentHash(base) === lockHash;
  const side = matchEol(theirs, ours);
  const mergeBase = trusted
    ? matchEol(base, ours)
    : Buffer.from(commonLinesBase(ours.toString('utf8'), side.toString('utf8')), 'utf8');
  const labels = {
    ours: 'ours',
    base: trusted ? `base (spine ${versions.base})` : 'base (unknown: two-way merge)',
    theirs: `theirs (spine ${versions.theirs})`,
  };
  const content = await merge(ours, mergeBase, side, labels);
  const regions = countConflictRegions(content.toString('utf8'));
  if (regions > 0) return { type: 'conflict-text', content, regions, twoWay: !trusted, base: mergeBase };
  return { type: 'write', content, status: 'merged', twoWay: !trusted };
}
