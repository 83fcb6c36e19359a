import { Octokit } from '@octokit/rest';
import { fetchWithRateLimit } from './rate-limit.js';
import { reuseReview } from './reuse-review.js';
import {
  classifyStatus,
  type ForgeClient,
  ForgeError,
  type OpenedReview,
  type ReviewRequest,
} from './types.js';

export interface GitHubOptions {
  owner: string;
  repo: string;
  token: string;
  /** GITHUB_API_URL: https://api.github.com, or GitHub Enterprise's `https://host/api/v3`. */
  baseUrl: string;
}

interface OpenPull {
  html_url: string;
  number: number;
  title: string;
  body?: string | null;
}

const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

/** Pull requests through the GitHub REST API. */
export function githubClient({ owner, repo, token, baseUrl }: GitHubOptions): ForgeClient {
  const octokit = new Octokit({
    auth: token,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    userAgent: 'spine-cli',
    log: SILENT,
    request: { fetch: (url: string, init: RequestInit) => fetchWithRateLimit(url, init) },
  });
  const call = <T>(what: string, work: () => Promise<T>) => wrap(baseUrl, what, work);

  const findOpen = async (head: string): Promise<OpenPull | undefined> => {
    const { data } = await call('list pull requests', () =>
      octokit.rest.pulls.list({ owner, repo, head, state: 'open', per_page: 10 }),
    );
    return data[0];
  };

  const reuse = (pr: OpenPull, request: ReviewRequest): Promise<OpenedReview> =>
    reuseReview(
      { url: pr.html_url, number: pr.number, label: `pull request #${pr.number}` },
      pr.title !== request.title || (pr.body ?? '') !== request.body,
      () =>
        octokit.rest.pulls.update({
          owner,
          repo,
          pull_number: pr.number,
          title: request.title,
          body: request.body,
        }),
      describe,
    );

  return {
    async preflight() {
      const { data } = await call(`read ${owner}/${repo}`, () => octokit.rest.repos.get({ owner, repo }));
      return {
        defaultBranch: data.default_branch,
        archived: Boolean(data.archived),
        ...(data.permissions ? { canPush: Boolean(data.permissions.push) } : {}),
      };
    },

    async reviewFor(branch: string) {
      const { data } = await call('list pull requests', () =>
        octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: 'all', per_page: 10 }),
      );
      const pr = data[0];
      if (!pr) return undefined;
      const state = pr.state === 'open' ? 'open' : pr.merged_at ? 'merged' : 'closed';
      return {
        url: pr.html_url,
        number: pr.number,
        state,
        draft: Boolean(pr.draft),
        ...(pr.merged_at ? { mergedAt: pr.merged_at } : {}),
      } as const;
    },

    async openReview(request: ReviewRequest) {
      const head = `${request.fork ?? owner}:${request.branch}`;
      const existing = await findOpen(head);
      if (existing) return reuse(existing, request);
      let created: { html_url: string; number: number };
      try {
        const response = await octokit.rest.pulls.create({
          owner,
          repo,
          title: request.title,
          body: request.body,
          head: request.fork ? head : request.branch,
          base: request.base,
          draft: request.draft,
        });
        created = response.data;
      } catch (error) {
        // Another run opened it between our look-up and now: reuse it, never open a second.
        if (status(error) === 422 && /already exists/i.test(describe(error))) {
          const raced = await findOpen(head);
          if (raced) return reuse(raced, request);
        }
        throw toForgeError(baseUrl, 'open the pull request', error);
      }
      const review: OpenedReview = {
        url: created.html_url,
        number: created.number,
        created: true,
        updated: false,
        reviewers: [],
        warnings: [],
      };
      await requestReviewers(octokit, owner, repo, review, request.reviewers);
      return review;
    },
  };
}

/** `@alice` is a user, `@org/team` a team; a refusal is a warning, the PR stands. */
async function requestReviewers(
  octokit: Octokit,
  owner: string,
  repo: string,
  review: OpenedReview,
  handles: string[],
): Promise<void> {
  const names = handles.map((h) => h.replace(/^@/, ''));
  const reviewers = names.filter((n) => !n.includes('/'));
  const teams = names.filter((n) => n.includes('/')).map((n) => n.split('/')[1]!);
  if (reviewers.length === 0 && teams.length === 0) return;
  try {
    await octokit.rest.pulls.requestReviewers({
      owner,
      repo,
      pull_number: review.number,
      reviewers,
      team_reviewers: teams,
    });
    review.reviewers = handles;
  } catch (error) {
    review.warnings.push(`could not request reviewers ${handles.join(', ')}: ${describe(error)}`);
  }
}

async function wrap<T>(baseUrl: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toForgeError(baseUrl, what, error);
  }
}

function toForgeError(baseUrl: string, what: string, error: unknown): ForgeError {
  if (error instanceof ForgeError) return error;
  const code = status(error);
  const hasResponse = Boolean((error as { response?: unknown }).response);
  if (!hasResponse || code === undefined) {
    return new ForgeError('unreachable', `cannot reach the GitHub API at ${baseUrl}: ${describe(error)}`);
  }
  const kind = classifyStatus(code);
  const hint =
    kind === 'auth'
      ? ' (check GITHUB_TOKEN / GH_TOKEN: it needs the "repo" scope or pull-request write access)'
      : '';
  return new ForgeError(kind, `GitHub refused to ${what}: ${code} ${describe(error)}${hint}`, code);
}

function status(error: unknown): number | undefined {
  const s = (error as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
}

/** GitHub's message plus its first validation error, e.g. "A pull request already exists for …". */
function describe(error: unknown): string {
  const data = (error as { response?: { data?: any } }).response?.data;
  const detail = Array.isArray(data?.errors)
    ? data.errors.map((e: any) => e?.message ?? e?.code).filter(Boolean)[0]
    : undefined;
  const message = typeof data?.message === 'string' ? data.message : (error as Error).message;
  return detail ? `${message}: ${detail}` : String(message);
}
