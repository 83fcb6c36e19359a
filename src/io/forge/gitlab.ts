import { fetchWithRateLimit } from './rate-limit.js';
import { reuseReview } from './reuse-review.js';
import {
  classifyStatus,
  type ForgeClient,
  ForgeError,
  type OpenedReview,
  type ReviewRequest,
} from './types.js';

export interface GitLabOptions {
  project: string;
  token: string;
  /** GITLAB_API_URL (or CI_API_V4_URL): `https://gitlab.com/api/v4`. */
  baseUrl: string;
}

interface MergeRequest {
  iid: number;
  web_url: string;
  title: string;
  description?: string | null;
  draft?: boolean;
}

/** GitLab marks a draft by a title prefix: `Draft:`, `[Draft]` or `(Draft)`. */
const DRAFT_PREFIX = /^\s*(\[draft\]|\(draft\)|draft:)\s*/i;

/** Merge requests through the GitLab REST API v4. */
export function gitlabClient({ project, token, baseUrl }: GitLabOptions): ForgeClient {
  const base = baseUrl.replace(/\/+$/, '');

  const api = async <T>(what: string, method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetchWithRateLimit(`${base}${path}`, {
        method,
        headers: {
          'PRIVATE-TOKEN': token,
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new ForgeError('unreachable', `cannot reach the GitLab API at ${base}: ${cause}`);
    }
    const text = await response.text();
    const data = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const message = messageOf(data) ?? response.statusText;
      const kind = classifyStatus(response.status);
      const hint = kind === 'auth' ? ' (check GITLAB_TOKEN: it needs the "api" scope)' : '';
      throw new ForgeError(
        kind,
        `GitLab refused to ${what}: ${response.status} ${message}${hint}`,
        response.status,
      );
    }
    return data as T;
  };
  const id = (path: string) => encodeURIComponent(path);

  const findOpen = async (branch: string): Promise<MergeRequest | undefined> => {
    const q = new URLSearchParams({ source_branch: branch, state: 'opened' });
    const list = await api<MergeRequest[]>(
      'list merge requests',
      'GET',
      `/projects/${id(project)}/merge_requests?${q}`,
    );
    return list[0];
  };

  /** A reused MR keeps its draft state: the title prefix is GitLab's draft flag, the rerun is about the text. */
  const reuse = (mr: MergeRequest, request: ReviewRequest): Promise<OpenedReview> => {
    const draft = mr.draft ?? DRAFT_PREFIX.test(mr.title);
    const title = draft ? `Draft: ${request.title}` : request.title;
    return reuseReview(
      { url: mr.web_url, number: mr.iid, label: `merge request !${mr.iid}` },
      mr.title !== title || (mr.description ?? '') !== request.body,
      // A fork's MR belongs to the target project, the one it was listed from: its iid is that project's.
      () =>
        api<MergeRequest>(
          'update the merge request',
          'PUT',
          `/projects/${id(project)}/merge_requests/${mr.iid}`,
          { title, description: request.body },
        ),
      (error) => (error as Error).message,
    );
  };

  return {
    async preflight() {
      const data = await api<{
        default_branch: string;
        archived?: boolean;
        permissions?: {
          project_access?: { access_level: number } | null;
          group_access?: { access_level: number } | null;
        };
      }>(`read ${project}`, 'GET', `/projects/${id(project)}`);
      // Developer (30) and above may push a branch that is not protected.
      const level = Math.max(
        data.permissions?.project_access?.access_level ?? 0,
        data.permissions?.group_access?.access_level ?? 0,
      );
      return {
        defaultBranch: data.default_branch,
        archived: Boolean(data.archived),
        ...(data.permissions ? { canPush: level >= 30 } : {}),
      };
    },

    async reviewFor(branch: string) {
      const q = new URLSearchParams({ source_branch: branch, state: 'all', order_by: 'created_at' });
      const list = await api<(MergeRequest & { state: string; merged_at?: string | null })[]>(
        'list merge requests',
        'GET',
        `/projects/${id(project)}/merge_requests?${q}`,
      );
      const mr = list[0];
      if (!mr) return undefined;
      const state = mr.state === 'opened' ? 'open' : mr.state === 'merged' ? 'merged' : 'closed';
      return {
        url: mr.web_url,
        number: mr.iid,
        state,
        draft: Boolean(mr.draft),
        ...(mr.merged_at ? { mergedAt: mr.merged_at } : {}),
      } as const;
    },

    async openReview(request: ReviewRequest) {
      const existing = await findOpen(request.branch);
      if (existing) return reuse(existing, request);
      const warnings: string[] = [];
      const reviewerIds = await lookUpReviewers(api, request.reviewers, warnings);
      // A fork's MR is created on the fork's project and targets the spine's.
      const target = request.fork
        ? {
            target_project_id: (await api<{ id: number }>('read project', 'GET', `/projects/${id(project)}`))
              .id,
          }
        : {};
      const source = request.fork ?? project;
      let mr: MergeRequest;
      try {
        mr = await api<MergeRequest>(
          'open the merge request',
          'POST',
          `/projects/${id(source)}/merge_requests`,
          {
            source_branch: request.branch,
            target_branch: request.base,
            title: request.draft ? `Draft: ${request.title}` : request.title,
            description: request.body,
            remove_source_branch: true,
            ...(reviewerIds.length ? { reviewer_ids: reviewerIds } : {}),
            ...target,
          },
        );
      } catch (error) {
        // 409: "Another open merge request already exists for this source branch".
        if (error instanceof ForgeError && error.status === 409) {
          const raced = await findOpen(request.branch);
          if (raced) return reuse(raced, request);
        }
        throw error;
      }
      return {
        url: mr.web_url,
        number: mr.iid,
        created: true,
        updated: false,
        reviewers: reviewerIds.length ? request.reviewers : [],
        warnings,
      };
    },
  };
}

type Api = <T>(what: string, method: string, path: string, body?: unknown) => Promise<T>;

/** GitLab wants user ids; a handle it does not know is a warning, not a failure. */
async function lookUpReviewers(api: Api, handles: string[], warnings: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const handle of handles) {
    const username = handle.replace(/^@/, '');
    try {
      const users = await api<{ id: number }[]>(
        'look up a reviewer',
        'GET',
        `/users?username=${encodeURIComponent(username)}`,
      );
      if (users[0]) ids.push(users[0].id);
      else warnings.push(`reviewer ${handle} is not a GitLab user`);
    } catch (error) {
      warnings.push(`could not look up reviewer ${handle}: ${(error as Error).message}`);
    }
  }
  return ids;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function messageOf(data: unknown): string | undefined {
  if (typeof data === 'string') return data.slice(0, 200);
  const m = (data as { message?: unknown; error?: unknown })?.message ?? (data as { error?: unknown })?.error;
  if (Array.isArray(m)) return m.join('; ');
  return typeof m === 'string' ? m : m ? JSON.stringify(m) : undefined;
}
