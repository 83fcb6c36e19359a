import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  commitText,
  ROLLOUT_TRAILER,
  reviewBody,
  reviewTitle,
  rolloutBranch,
} from '../../core/rollout/review-text.js';
import { UserError } from '../../errors.js';
import { ForgeError } from '../../io/forge/types.js';
import { commitAll, commitMessageOf, fetchBranch, pushHead, sameTree } from '../../io/rollout-git.js';
import { parseLocalConfig } from '../../team/parse-team.js';
import { doctor } from '../doctor/index.js';
import { readSpine } from '../shared/read-spine.js';
import { update } from '../update/index.js';
import type { Previewed, RepoRequest } from './repo.js';

export interface Published {
  branch: string;
  /** `created`/`updated`: pushed; `unchanged`: the branch already held this content. */
  push: 'created' | 'updated' | 'unchanged';
  review: { url: string; number: number; created: boolean; draft: boolean };
}

export type PublishOutcome = { published: Published } | { declined: string } | { failed: string };

/**
 * One repository's update request: the update applied in the clone, committed on the release's
 * own branch, pushed with a lease, and the review opened or refreshed. Never touches the default
 * branch; a closed, unmerged request for the release is respected (the next release asks again).
 */
export async function publishRepo(previewed: Previewed, request: RepoRequest): Promise<PublishOutcome> {
  const { row, clone, access, update: planned } = previewed;
  if (!clone || !access || !planned || !row.to) return { failed: 'not ready to publish' };
  const branch = rolloutBranch(row.to);
  if (branch === clone.branch) return { failed: `the default branch is ${branch}: spine never pushes to it` };
  try {
    const earlier = await access.client.reviewFor(branch);
    if (earlier?.state === 'closed') return { declined: earlier.url };

    const applied = await update({
      ...request,
      json: true,
      cwd: clone.dir,
      to: planned.to.ref ?? planned.to.commit ?? request.to,
      dryRun: false,
      diff: false,
      allowDirty: false,
      offline: true,
      continue: false,
      abort: false,
    });
    const conflicts = row.conflicts ?? [];
    const checked = await doctor({
      ...request,
      json: true,
      cwd: clone.dir,
      strict: false,
      fix: false,
      offline: true,
    }).catch(() => undefined);
    const facts = {
      from: applied.from.version,
      to: applied.to.version,
      changelog: applied.changelog,
      files: applied.files,
      conflicts,
      ...(checked ? { doctor: checked.summary } : {}),
    };
    // A conflicted update keeps its record (what resolve and --continue need) on the branch.
    const commit = await commitAll(
      clone.dir,
      commitText(facts),
      request.env,
      conflicts.length ? ['.spine/update'] : [],
    );
    return await pushAndRequest(
      previewed,
      request,
      { branch, commit, title: reviewTitle(facts), body: reviewBody(facts), draft: conflicts.length > 0 },
      await lockedSpineReviewers(clone.dir, request),
    );
  } catch (error) {
    if (error instanceof ForgeError || error instanceof UserError) return { failed: error.message };
    if ((error as Error).name === 'CloneError') return { failed: (error as Error).message };
    throw error;
  }
}

export interface RequestText {
  branch: string;
  /** The commit spine made in the clone, to go on `branch`. */
  commit: string;
  title: string;
  body: string;
  draft: boolean;
}

/**
 * Pushes spine's commit to its own branch (with a lease; a person's commit there is never
 * overwritten) and opens or refreshes the one request for it, asking the champion to review.
 */
export async function pushAndRequest(
  previewed: Previewed,
  request: RepoRequest,
  text: RequestText,
  /** The spine's platform reviewers (champions.yaml `reviewers`), asked beside the champion. */
  spineReviewers: string[] = [],
): Promise<PublishOutcome> {
  const { clone, access } = previewed as Required<Pick<Previewed, 'clone' | 'access'>>;
  const { branch, commit } = text;
  const remote = await fetchBranch(clone.dir, branch, request.env);
  let push: Published['push'] = remote ? 'updated' : 'created';
  if (remote) {
    const message = await commitMessageOf(clone.dir, remote, request.env);
    if (!message.includes(`${ROLLOUT_TRAILER}:`)) {
      return {
        failed: `the branch ${branch} has a commit spine did not make (${remote.slice(0, 12)}); merge or close its request, then rerun`,
      };
    }
    if (await sameTree(clone.dir, remote, commit, request.env)) push = 'unchanged';
  }
  if (push !== 'unchanged') await pushHead(clone.dir, branch, remote, request.env);
  const champion = await championOf(clone.dir);
  const review = await access.client.openReview({
    title: text.title,
    body: text.body,
    branch,
    base: clone.branch,
    draft: text.draft,
    reviewers: [...new Set([...(champion ? [champion] : []), ...spineReviewers])],
  });
  return {
    published: {
      branch,
      push,
      review: { url: review.url, number: review.number, created: review.created, draft: text.draft },
    },
  };
}

async function championOf(dir: string): Promise<string | undefined> {
  let content: Buffer;
  try {
    content = readFileSync(join(dir, '.spine/local.yaml'));
  } catch {
    return undefined;
  }
  const champion = (await parseLocalConfig('.spine/local.yaml', content)).config?.champion;
  // Only a forge handle can be asked to review; an e-mail address cannot.
  return champion && /^@?[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9._-]+)?$/.test(champion) ? champion : undefined;
}

/**
 * The platform reviewers of the spine the repository is now locked to, read from the spine itself
 * (its cache: the update just resolved it); none when it cannot be read — a request without them
 * is still a request.
 */
async function lockedSpineReviewers(dir: string, request: RepoRequest): Promise<string[]> {
  try {
    const lock = JSON.parse(readFileSync(join(dir, '.spine/lock.json'), 'utf8')) as {
      source?: { spec?: string; commit?: string; ref?: string };
    };
    if (!lock.source?.spec) return [];
    const { spine } = await readSpine({
      ...request,
      json: true,
      cwd: dir,
      spine: lock.source.spec,
      ref: lock.source.commit ?? lock.source.ref,
      offline: true,
    });
    return spine.champions.reviewers;
  } catch {
    return [];
  }
}
