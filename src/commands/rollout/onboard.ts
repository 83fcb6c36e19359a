import {
  type OnboardFacts,
  onboardBody,
  onboardBranch,
  onboardCommitText,
  onboardTitle,
} from '../../core/rollout/review-text.js';
import { UserError } from '../../errors.js';
import { ForgeError } from '../../io/forge/types.js';
import { commitAll } from '../../io/rollout-git.js';
import { type InitResult, init } from '../init/index.js';
import { readSpine } from '../shared/read-spine.js';
import { type PublishOutcome, pushAndRequest } from './publish.js';
import type { Previewed, RepoRequest } from './repo.js';

/** What `spine init` would write to a repository that has no spine, in the rollout's clone. */
export async function planOnboarding(dir: string, request: RepoRequest, team: string): Promise<InitResult> {
  return init({
    ...request,
    json: true,
    interactive: false,
    cwd: dir,
    spine: request.onboard,
    ref: request.to,
    team,
    // The champion is the team's to name; the request asks them to.
    champion: '',
    dryRun: true,
  });
}

function factsOf(result: InitResult): OnboardFacts {
  return {
    spine: result.spine.name,
    version: result.spine.version,
    team: result.team,
    changes: result.changes.map((c) => ({ path: c.path, action: c.action })),
    toolchains: result.toolchains,
    launchDirs: result.launchDirs.map((d) => d.path).filter((p) => p !== '.'),
    findings: result.repo.map((f) => ({
      severity: f.severity,
      code: f.code,
      path: f.path,
      message: f.message,
      fix: f.fix,
    })),
  };
}

/**
 * An onboarding request for a repository without a spine: `spine init`'s result committed on the
 * release's onboarding branch, pushed, and a request opened that asks the team to name its
 * champion. A closed request is respected until the next release.
 */
export async function publishOnboarding(previewed: Previewed, request: RepoRequest): Promise<PublishOutcome> {
  const { row, clone, access } = previewed;
  if (!clone || !access || !row.onboard) return { failed: 'not ready to publish' };
  const branch = onboardBranch(row.onboard.version);
  if (branch === clone.branch) return { failed: `the default branch is ${branch}: spine never pushes to it` };
  try {
    const earlier = await access.client.reviewFor(branch);
    if (earlier?.state === 'closed') return { declined: earlier.url };
    const result = await init({
      ...request,
      json: true,
      interactive: false,
      cwd: clone.dir,
      spine: request.onboard,
      ref: request.to,
      team: row.name,
      champion: '',
      dryRun: false,
    });
    const facts = factsOf(result);
    const commit = await commitAll(clone.dir, onboardCommitText(facts), request.env, []);
    const { spine } = await readSpine({ ...request, json: true, spine: request.onboard, ref: request.to });
    return await pushAndRequest(
      previewed,
      request,
      { branch, commit, title: onboardTitle(facts), body: onboardBody(facts), draft: false },
      spine.champions.reviewers,
    );
  } catch (error) {
    if (error instanceof ForgeError || error instanceof UserError) return { failed: error.message };
    if ((error as Error).name === 'CloneError') return { failed: (error as Error).message };
    throw error;
  }
}
