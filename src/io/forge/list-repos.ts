import { Octokit } from '@octokit/rest';
import { fetchWithRateLimit } from './rate-limit.js';
import { classifyStatus, ForgeError } from './types.js';

/** A repository of an organisation or group, as the forge lists it. */
export interface ListedRepo {
  /** owner/name (GitHub) or the project path (GitLab). */
  path: string;
  cloneUrl: string;
  archived: boolean;
  topics: string[];
  /** GitHub custom properties (listed only when asked for): name → value or values. */
  properties?: Record<string, string | string[]>;
}

/** Every repository of a GitHub organisation (or user), paged through. */
export async function listGitHubRepos(
  org: string,
  token: string,
  baseUrl: string,
  { withProperties = false } = {},
): Promise<ListedRepo[]> {
  const octokit = new Octokit({
    auth: token,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    userAgent: 'spine-cli',
    log: { debug() {}, info() {}, warn() {}, error() {} },
    request: { fetch: (url: string, init: RequestInit) => fetchWithRateLimit(url, init) },
  });
  try {
    const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org, per_page: 100, type: 'all' });
    // An organisation's custom properties come from their own endpoint, one page for 100 repos.
    const properties = new Map<string, Record<string, string | string[]>>();
    if (withProperties) {
      const values = (await octokit.paginate('GET /orgs/{org}/properties/values', {
        org,
        per_page: 100,
      })) as {
        repository_full_name: string;
        properties: { property_name: string; value: string | string[] | null }[];
      }[];
      for (const v of values) {
        const set: Record<string, string | string[]> = {};
        for (const p of v.properties) if (p.value !== null) set[p.property_name] = p.value;
        properties.set(v.repository_full_name, set);
      }
    }
    return repos.map((r) => ({
      path: r.full_name,
      cloneUrl: r.clone_url ?? `${r.html_url}.git`,
      archived: Boolean(r.archived),
      topics: r.topics ?? [],
      ...(withProperties ? { properties: properties.get(r.full_name) ?? {} } : {}),
    }));
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === undefined)
      throw new ForgeError(
        'unreachable',
        `cannot reach the GitHub API at ${baseUrl}: ${(error as Error).message}`,
      );
    const hint =
      status === 401 || status === 403
        ? " (the token needs read access to the organisation's repositories)"
        : '';
    throw new ForgeError(
      classifyStatus(status),
      `GitHub refused to list the repositories of ${org}: ${status} ${(error as Error).message}${hint}`,
      status,
    );
  }
}

/** Every project of a GitLab group and its subgroups, paged through. */
export async function listGitLabRepos(group: string, token: string, baseUrl: string): Promise<ListedRepo[]> {
  const base = baseUrl.replace(/\/+$/, '');
  const out: ListedRepo[] = [];
  for (let page = 1; page < 1000; page++) {
    const q = new URLSearchParams({ include_subgroups: 'true', per_page: '100', page: String(page) });
    let response: Response;
    try {
      response = await fetchWithRateLimit(`${base}/groups/${encodeURIComponent(group)}/projects?${q}`, {
        headers: { 'PRIVATE-TOKEN': token, accept: 'application/json' },
      });
    } catch (error) {
      throw new ForgeError(
        'unreachable',
        `cannot reach the GitLab API at ${base}: ${(error as Error).message}`,
      );
    }
    if (!response.ok) {
      const hint =
        response.status === 401 || response.status === 403
          ? ' (GITLAB_TOKEN needs the "read_api" scope)'
          : '';
      throw new ForgeError(
        classifyStatus(response.status),
        `GitLab refused to list the projects of ${group}: ${response.status} ${response.statusText}${hint}`,
        response.status,
      );
    }
    const list = (await response.json()) as {
      path_with_namespace: string;
      http_url_to_repo: string;
      archived?: boolean;
      topics?: string[];
    }[];
    for (const p of list) {
      out.push({
        path: p.path_with_namespace,
        cloneUrl: p.http_url_to_repo,
        archived: Boolean(p.archived),
        topics: p.topics ?? [],
      });
    }
    if (list.length < 100) break;
  }
  return out;
}
