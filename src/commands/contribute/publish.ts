import { UserError } from '../../errors.js';
import type { ForgeAccess } from '../../io/forge/client.js';
import { ForgeError, type OpenedReview, type ReviewRequest } from '../../io/forge/types.js';
import {
  commitMessage,
  commitShape,
  deleteRemoteBranch,
  type GitContext,
  pushBranch,
  remoteBranchCommit,
} from '../../io/worktree.js';

export interface PushOutcome {
  /** The commit the remote branch points at afterwards. */
  commit: string;
  /** `created`: the branch is new; `updated`: moved with a lease; `unchanged`: already had this content. */
  state: 'created' | 'updated' | 'unchanged';
}

/**
 * Pushes the contribution commit. A rerun with the same skill on the same base pushes nothing;
 * otherwise the branch moves with --force-with-lease, so someone else's push is never lost.
 */
export async function pushContribution(
  ctx: GitContext,
  url: string,
  branch: string,
  commit: string,
  options: { team: string; force: boolean },
): Promise<PushOutcome> {
  const current = await remoteBranchCommit(ctx, url, branch);
  if (current) {
    // A commit someone else pushed to the branch (a reviewer's fix) is not replaced silently.
    const message = await commitMessage(ctx, current);
    if (message !== undefined && !message.includes(`Spine-Team: ${options.team}`) && !options.force) {
      throw new UserError(
        `the branch ${branch} has a commit that spine contribute did not make (${current.slice(0, 12)}); take its changes into your skill, or rerun with --force to replace it`,
        { file: url },
      );
    }
    const [theirs, ours] = await Promise.all([commitShape(ctx, current), commitShape(ctx, commit)]);
    if (theirs && ours && theirs.tree === ours.tree && theirs.parent === ours.parent) {
      return { commit: current, state: 'unchanged' };
    }
  }
  await pushBranch(ctx, url, commit, branch, current);
  return { commit, state: current ? 'updated' : 'created' };
}

/**
 * Opens (or finds) the review. When that fails for a branch this run created, the branch is
 * deleted again, so a failed run leaves no orphan behind; an existing branch is left as it was.
 */
export async function openReviewOrRollBack(
  access: ForgeAccess,
  request: ReviewRequest,
  push: PushOutcome,
  ctx: GitContext,
  url: string,
): Promise<OpenedReview> {
  try {
    return await access.client.openReview(request);
  } catch (error) {
    if (!(error instanceof ForgeError)) throw error;
    const removed =
      push.state === 'created' && (await deleteRemoteBranch(ctx, url, request.branch, push.commit));
    const after = removed
      ? `the branch ${request.branch} was removed again; fix this and rerun`
      : `the branch ${request.branch} is pushed; fix this and rerun to open the review`;
    throw new UserError(`${error.message}; ${after}`, { file: access.apiUrl });
  }
}

export function forgeFailure(error: unknown, apiUrl: string): UserError {
  if (error instanceof ForgeError) {
    return new UserError(`${error.message}; nothing was pushed`, { file: apiUrl });
  }
  throw error;
}
