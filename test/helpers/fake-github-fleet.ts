import { type RecordedRequest, type Reply, startRecordingServer } from './fake-forge-server.js';

export interface FleetPull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged_at: string | null;
  reviewers: string[];
}

export interface FleetRepo {
  defaultBranch: string;
  archived: boolean;
  /** What the listing gives as `clone_url` (a file:// URL of a bare repo in tests). */
  cloneUrl?: string;
  topics: string[];
  pulls: FleetPull[];
  /** The token may push (GitHub's `permissions.push`); default true. */
  push?: boolean;
  /** Custom property values, as GET /orgs/{org}/properties/values lists them. */
  properties?: Record<string, string | string[]>;
}

/**
 * GitHub's REST API for many repositories at once — the endpoints `spine rollout` uses, with
 * GitHub's shapes and status codes — and its rate limits: `limitNext` answers the next requests
 * with a secondary-limit 403 or a 429 carrying `retry-after`, as GitHub does.
 */
export async function startFakeGitHubFleet(token = 'ghp_fleet') {
  const repos = new Map<string, FleetRepo>();
  const state = { limitNext: [] as { status: 403 | 429; retryAfter: number }[] };
  const web = (full: string) => `https://github.example/${full}`;
  const shape = (full: string, p: FleetPull) => ({
    number: p.number,
    state: p.state,
    title: p.title,
    body: p.body,
    draft: p.draft,
    merged_at: p.merged_at,
    html_url: `${web(full)}/pull/${p.number}`,
    head: { ref: p.head.split(':')[1], label: p.head },
    base: { ref: p.base },
    requested_reviewers: p.reviewers.map((login) => ({ login })),
  });

  const handle = (r: RecordedRequest): Reply => {
    const limit = state.limitNext.shift();
    if (limit) {
      return {
        status: limit.status,
        headers: { 'retry-after': String(limit.retryAfter) },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        },
      };
    }
    if (r.headers.authorization !== `token ${token}`)
      return { status: 401, body: { message: 'Bad credentials' } };
    const values = /^\/orgs\/([^/]+)\/properties\/values$/.exec(r.path);
    if (r.method === 'GET' && values) {
      const listed = [...repos.entries()].filter(([full]) => full.startsWith(`${values[1]}/`));
      return {
        status: 200,
        body: listed.map(([full, repo], i) => ({
          repository_id: 1000 + i,
          repository_name: full.split('/')[1],
          repository_full_name: full,
          properties: Object.entries(repo.properties ?? {}).map(([property_name, value]) => ({
            property_name,
            value,
          })),
        })),
      };
    }
    const org = /^\/orgs\/([^/]+)\/repos$/.exec(r.path);
    if (r.method === 'GET' && org) {
      const listed = [...repos.entries()].filter(([full]) => full.startsWith(`${org[1]}/`));
      if (listed.length === 0) return { status: 404, body: { message: 'Not Found' } };
      return {
        status: 200,
        body: listed.map(([full, repo]) => ({
          full_name: full,
          html_url: web(full),
          clone_url: repo.cloneUrl ?? `${web(full)}.git`,
          archived: repo.archived,
          topics: repo.topics,
        })),
      };
    }
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(r.path);
    const full = match ? `${match[1]}/${match[2]}` : '';
    const repo = repos.get(full);
    if (!match || !repo) return { status: 404, body: { message: 'Not Found' } };
    const rest = match[3] ?? '';
    if (r.method === 'GET' && rest === '') {
      return {
        status: 200,
        body: {
          full_name: full,
          default_branch: repo.defaultBranch,
          archived: repo.archived,
          permissions: { admin: false, push: repo.push !== false, pull: true },
        },
      };
    }
    if (r.method === 'GET' && rest === '/pulls') {
      const found = repo.pulls
        .filter(
          (p) =>
            (!r.query.head || p.head === r.query.head) &&
            (r.query.state === 'all' || p.state === (r.query.state ?? 'open')),
        )
        .sort((a, b) => b.number - a.number);
      return { status: 200, body: found.map((p) => shape(full, p)) };
    }
    if (r.method === 'POST' && rest === '/pulls') {
      if (repo.archived)
        return { status: 403, body: { message: 'Repository was archived so is read-only.' } };
      const { title, head, base, body, draft } = r.body ?? {};
      const label = head.includes(':') ? head : `${match[1]}:${head}`;
      if (repo.pulls.some((p) => p.head === label && p.state === 'open')) {
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [{ message: `A pull request already exists for ${label}.` }],
          },
        };
      }
      const pull: FleetPull = {
        number: repo.pulls.length + 1,
        title,
        body: body ?? '',
        head: label,
        base,
        draft: Boolean(draft),
        state: 'open',
        merged_at: null,
        reviewers: [],
      };
      repo.pulls.push(pull);
      return { status: 201, body: shape(full, pull) };
    }
    const one = /^\/pulls\/(\d+)(\/requested_reviewers)?$/.exec(rest);
    const pull = one ? repo.pulls.find((p) => p.number === Number(one[1])) : undefined;
    if (one && !pull) return { status: 404, body: { message: 'Not Found' } };
    if (r.method === 'PATCH' && one && !one[2] && pull) {
      if (r.body?.title !== undefined) pull.title = r.body.title;
      if (r.body?.body !== undefined) pull.body = r.body.body ?? '';
      return { status: 200, body: shape(full, pull) };
    }
    if (r.method === 'POST' && one?.[2] && pull) {
      pull.reviewers.push(...(r.body?.reviewers ?? []));
      return { status: 201, body: shape(full, pull) };
    }
    return { status: 404, body: { message: 'Not Found' } };
  };

  const server = await startRecordingServer(handle);
  return {
    ...server,
    token,
    repos,
    state,
    add(full: string, options: Partial<Omit<FleetRepo, 'pulls'>> = {}) {
      repos.set(full, { defaultBranch: 'main', archived: false, topics: [], ...options, pulls: [] });
    },
  };
}

export type FakeGitHubFleet = Awaited<ReturnType<typeof startFakeGitHubFleet>>;
