import { basename } from 'node:path';
import type { Problem } from '../../core/problems.js';
import { LOCK_FILE } from '../../core/render/desired-state.js';
import type { NearDuplicate } from '../../core/similarity.js';
import { UserError } from '../../errors.js';
import { connectForge, tokenHelp } from '../../io/forge/client.js';
import { detectForge, type ForgeRepo, forgeFromUrl, newReviewUrl } from '../../io/forge/detect.js';
import { gitConfig, gitTopLevel } from '../../io/git.js';
import {
  branchCommit,
  defaultBranch,
  type GitContext,
  type Identity,
  openWorktree,
} from '../../io/worktree.js';
import type { BaseOptions } from '../../options.js';
import { sourceProgress } from '../../output/source-progress.js';
import { loadSpine } from '../../spine/load.js';
import type { Spine } from '../../spine/model.js';
import { ensureCached } from '../../spine/sources/cache.js';
import { readSpineDirectory } from '../../spine/sources/directory.js';
import { parseLocalConfig, parseLock, throwOnErrors } from '../../team/parse-team.js';
import { readTeamFiles } from '../../team/read-team.js';
import { checkNearDuplicates, refuseSecrets } from './checks.js';
import { proposalText } from './proposal.js';
import { forgeFailure, openReviewOrRollBack, pushContribution } from './publish.js';
import { type LocalSkill, locateSkill, readLocalSkill } from './read-skill.js';
import { spineRemoteUrl } from './upstream.js';

export { runContribute } from './report.js';

export interface ContributeOptions extends BaseOptions {
  skill: string;
  title?: string;
  draft: boolean;
  dryRun: boolean;
  force: boolean;
}

export interface ContributeResult {
  schemaVersion: 1;
  dryRun: boolean;
  skill: string;
  /** The spine already has a skill of this name: the proposal changes it. */
  update: boolean;
  team: string;
  champion: string;
  spine: { name: string; url: string };
  branch: string;
  base: string;
  /** Where the branch is (or would be) pushed: the spine remote or the team's fork. */
  pushUrl: string;
  /** undefined on a dry run or when the spine already has exactly this skill. */
  commit?: string;
  push: 'created' | 'updated' | 'unchanged' | 'none';
  /** `updated`: a reused review's title and description were rewritten to this run's text. */
  pr?: { url: string; number: number; created: boolean; updated: boolean; reviewers: string[] };
  /** No forge API to use: how to open the review by hand. */
  manual?: { reason: string; url?: string };
  title: string;
  body: string;
  files: string[];
  diff: string;
  nearDuplicates: NearDuplicate[];
  warnings: string[];
}

/** Proposes a team's skill to the spine: check, commit in a temporary worktree, push, open the review. */
export async function contribute(options: ContributeOptions): Promise<ContributeResult> {
  const root = await gitTopLevel(options.cwd);
  if (!root)
    throw new UserError('not a git repository: run contribute in an onboarded team repo', {
      file: options.cwd,
    });
  const team = readTeamFiles(root);
  if (!team.lock) {
    throw new UserError('not onboarded: run "spine init --spine <git url>" first', { file: LOCK_FILE });
  }
  const lock = await parseLock(LOCK_FILE, team.lock);
  const local = team.local ? await parseLocalConfig('.spine/local.yaml', team.local) : undefined;
  if (local) throwOnErrors(local.problems);

  const skill = await readLocalSkill(locateSkill(options.skill, root, options.cwd), root);
  refuseSecrets(skill); // built-in formats first: a leaked key never reaches the network step
  const url = spineRemoteUrl(lock.source, root);
  const pushUrl = local?.config?.fork ?? url;
  const teamName = local?.config?.team ?? basename(root);
  const identity = await committerIdentity(root, local?.config?.champion);
  const champion = local?.config?.champion || identity.email;

  const ctx: GitContext = {
    gitDir: await ensureCached({
      url,
      cacheDir: options.cacheDir,
      offline: false,
      onProgress: sourceProgress(options.json),
    }),
    env: options.env,
  };
  let base = await defaultBranch(ctx);
  let prepared = await prepare(ctx, base.commit, skill, options);
  const forge = detectForge(url, prepared.spine.manifest.upstream, options.env);
  const text = proposalText({
    skill: { name: skill.name, description: skill.description, files: skill.files.map((f) => f.path) },
    team: teamName,
    champion,
    spineName: prepared.spine.manifest.name,
    update: prepared.update,
    warnings: skill.warnings,
    nearDuplicates: prepared.nearDuplicates,
    title: options.title,
  });
  const fork = local?.config?.fork ? forkOwner(local.config.fork, forge) : undefined;

  const result: ContributeResult = {
    schemaVersion: 1,
    dryRun: options.dryRun,
    skill: skill.name,
    update: prepared.update,
    team: teamName,
    champion,
    spine: { name: prepared.spine.manifest.name, url },
    branch: text.branch,
    base: base.branch,
    pushUrl,
    push: 'none',
    title: text.title,
    body: text.body,
    files: prepared.files,
    diff: prepared.patch,
    nearDuplicates: prepared.nearDuplicates,
    warnings: skill.warnings.map((w) => `${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`),
  };
  if (options.dryRun || prepared.files.length === 0) {
    await prepared.worktree.remove();
    return result;
  }

  try {
    const access = forge && fork !== null ? await connectForge(forge, options.env) : undefined;
    if (access) {
      // The API is asked first, so a bad token or a down forge fails before anything is pushed.
      const { defaultBranch: apiBase } = await access.client.preflight().catch((e) => {
        throw forgeFailure(e, access.apiUrl);
      });
      if (apiBase !== base.branch) {
        await prepared.worktree.remove();
        base = { branch: apiBase, commit: await branchCommit(ctx, apiBase) };
        prepared = await prepare(ctx, base.commit, skill, options);
        result.base = apiBase;
      }
    }
    const commit = await prepared.worktree.commit(text.commitMessage, identity);
    await prepared.worktree.remove();
    const pushed = await pushContribution(ctx, pushUrl, text.branch, commit, {
      team: teamName,
      force: options.force,
    });
    result.commit = pushed.commit;
    result.push = pushed.state;
    if (access) {
      const review = await openReviewOrRollBack(
        access,
        {
          title: text.title,
          body: text.body,
          branch: text.branch,
          fork: fork ?? undefined,
          base: base.branch,
          draft: options.draft,
          reviewers: prepared.spine.champions.reviewers,
        },
        pushed,
        ctx,
        pushUrl,
      );
      result.pr = {
        url: review.url,
        number: review.number,
        created: review.created,
        updated: review.updated,
        reviewers: review.reviewers,
      };
      result.warnings.push(...review.warnings);
    } else {
      result.manual = manualReview(forge, fork, base.branch, text.branch);
    }
    return result;
  } finally {
    await prepared.worktree.remove();
  }
}

interface Prepared {
  spine: Spine;
  update: boolean;
  nearDuplicates: NearDuplicate[];
  files: string[];
  patch: string;
  worktree: Awaited<ReturnType<typeof openWorktree>>;
}

/** Reads the spine at `commit` in a fresh worktree, checks the skill against it, stages it. */
async function prepare(
  ctx: GitContext,
  commit: string,
  skill: LocalSkill,
  options: ContributeOptions,
): Promise<Prepared> {
  const worktree = await openWorktree(ctx, commit);
  try {
    const loaded = await loadSpine(readSpineDirectory(worktree.dir, 'spine:'));
    if (!loaded.spine) {
      const first = loaded.problems.find((p: Problem) => p.severity === 'error');
      throw new UserError(
        `the spine's default branch does not validate, so nothing can be proposed to it: ${first?.message ?? 'invalid'}`,
        { file: first?.file ?? 'spine.yaml', line: first?.line },
      );
    }
    const spine = loaded.spine;
    refuseSecrets(skill, spine.secrets.tokens);
    const update = spine.skills.some((s) => s.name === skill.name);
    const nearDuplicates = await checkNearDuplicates(skill, spine.skills, {
      interactive: options.interactive,
      force: options.force,
    });
    await worktree.stage(`skills/${skill.name}`, skill.files);
    const { patch, files } = await worktree.diff();
    return { spine, update, nearDuplicates, files, patch, worktree };
  } catch (error) {
    await worktree.remove();
    throw error;
  }
}

/** The team repo's git identity, else the champion, else a neutral one: commits never fail on it. */
async function committerIdentity(root: string, champion: string | undefined): Promise<Identity> {
  const name = await gitConfig(root, 'user.name');
  const email = await gitConfig(root, 'user.email');
  return {
    name: name ?? champion?.replace(/^@/, '') ?? 'spine contributor',
    email: email ?? 'spine-contribute@users.noreply.localhost',
  };
}

/** The fork's owner (GitHub) or project (GitLab); null when the fork is not on the spine's forge. */
function forkOwner(forkUrl: string, forge: ForgeRepo | undefined): string | null | undefined {
  if (!forge) return undefined;
  const parsed = forgeFromUrl(forkUrl, forge.host);
  if (!parsed || parsed.forge !== forge.forge) return null;
  return parsed.forge === 'github' ? parsed.owner : parsed.project;
}

function manualReview(
  forge: ForgeRepo | undefined,
  fork: string | null | undefined,
  base: string,
  branch: string,
): ContributeResult['manual'] {
  if (!forge) {
    return {
      reason:
        'the spine\'s forge is unknown (its URL does not name GitHub or GitLab and spine.yaml has no "upstream")',
    };
  }
  if (fork === null) return { reason: "the fork in .spine/local.yaml is not on the spine's forge" };
  return {
    reason: `no ${forge.forge === 'github' ? 'GitHub' : 'GitLab'} token: ${tokenHelp(forge)}`,
    url: newReviewUrl(forge, base, forge.forge === 'github' ? (fork ?? undefined) : undefined, branch),
  };
}
