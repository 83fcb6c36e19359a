import { type RecordedRequest, type Reply, startRecordingServer } from './fake-forge-server.js';

export interface FleetMergeRequest {
  iid: number;
  title: string;
  description: string;
  source_branch: string;
  target_branch: string;
  state: 'opened' | 'closed' | 'merged';
  merged_at: string | null;
  reviewer_ids: number[];
  remove_source_branch: boolean;
}

export interface FleetProject {
  id: number;
  defaultBranch: string;
  archived: boolean;
  /** What the listing gives as `http_url_to_repo` (a file:// URL of a bare repo in tests). */
  cloneUrl: string;
  topics: string[];
  mergeRequests: FleetMergeRequest[];
  /** The token user's access level (GitLab: 20 reporter, 30 developer, 40 maintainer). */
  accessLevel: number;
}

/**
 * GitLab's REST API v4 (under /api/v4) for many projects at once — the endpoints `spine rollout`
 * uses, with GitLab's shapes and status codes: a group's projects with subgroups, paged by
 * `per_page`/`page`; a project by its URL-encoded path; merge requests listed by source branch and
 * state, opened (409 on a second open one for the same branch), with `Draft:` as the draft flag;
 * users looked up by username.
 */
export async function startFakeGitLabFleet({
  token = 'glpat-fleet',
  users = {} as Record<string, number>,
} = {}) {
  const projects = new Map<string, FleetProject>();
  const web = (path: string) => `https://gitlab.example/${path}`;
  const shape = (path: string, mr: FleetMergeRequest) => ({
    ...mr,
    id: 10_000 + mr.iid,
    draft: /^\s*(\[draft\]|\(draft\)|draft:)/i.test(mr.title),
    web_url: `${web(path)}/-/merge_requests/${mr.iid}`,
  });

  const handle = (r: RecordedRequest): Reply => {
    if (r.headers['private-token'] !== token) return { status: 401, body: { message: '401 Unauthorized' } };
    const group = /^\/api\/v4\/groups\/([^/]+)\/projects$/.exec(r.path);
    if (r.method === 'GET' && group) {
      const name = decodeURIComponent(group[1]!);
      const deep = r.query.include_subgroups === 'true';
      const inGroup = [...projects.entries()].filter(([path]) => {
        const parent = path.slice(0, path.lastIndexOf('/'));
        return parent === name || (deep && parent.startsWith(`${name}/`));
      });
      if (inGroup.length === 0) return { status: 404, body: { message: '404 Group Not Found' } };
      const perPage = Math.min(Number(r.query.per_page ?? 20), 100);
      const page = Number(r.query.page ?? 1);
      const slice = inGroup.slice((page - 1) * perPage, page * perPage);
      return {
        status: 200,
        headers: { 'x-total': String(inGroup.length), 'x-page': String(page) },
        body: slice.map(([path, p]) => ({
          id: p.id,
          path_with_namespace: path,
          web_url: web(path),
          http_url_to_repo: p.cloneUrl,
          archived: p.archived,
          topics: p.topics,
          default_branch: p.defaultBranch,
        })),
      };
    }
    if (r.method === 'GET' && r.path === '/api/v4/users') {
      const id = users[r.query.username ?? ''];
      return { status: 200, body: id ? [{ id, username: r.query.username }] : [] };
    }
    // Node's HTTP parser keeps %2F in the path as sent: the project is the encoded segment.
    const match = /^\/api\/v4\/projects\/([^/]+)(\/.*)?$/.exec(r.path);
    const path = match ? decodeURIComponent(match[1]!) : '';
    const project = projects.get(path);
    if (!match || !project) return { status: 404, body: { message: '404 Project Not Found' } };
    const rest = match[2] ?? '';
    if (r.method === 'GET' && rest === '') {
      return {
        status: 200,
        body: {
          id: project.id,
          path_with_namespace: path,
          default_branch: project.defaultBranch,
          archived: project.archived,
          web_url: web(path),
          permissions: { project_access: { access_level: project.accessLevel }, group_access: null },
        },
      };
    }
    if (r.method === 'GET' && rest === '/merge_requests') {
      const found = project.mergeRequests
        .filter(
          (mr) =>
            (!r.query.source_branch || mr.source_branch === r.query.source_branch) &&
            (!r.query.state || r.query.state === 'all' || mr.state === r.query.state),
        )
        .sort((a, b) => b.iid - a.iid);
      return { status: 200, body: found.map((mr) => shape(path, mr)) };
    }
    if (r.method === 'POST' && rest === '/merge_requests') {
      const { source_branch, target_branch, title, description, reviewer_ids, remove_source_branch } =
        r.body ?? {};
      if (!source_branch || !target_branch || !title)
        return { status: 400, body: { message: 'bad request' } };
      const open = project.mergeRequests.find(
        (mr) => mr.source_branch === source_branch && mr.state === 'opened',
      );
      if (open) {
        return {
          status: 409,
          body: {
            message: [`Another open merge request already exists for this source branch: !${open.iid}`],
          },
        };
      }
      const mr: FleetMergeRequest = {
        iid: project.mergeRequests.length + 1,
        title,
        description: description ?? '',
        source_branch,
        target_branch,
        state: 'opened',
        merged_at: null,
        reviewer_ids: reviewer_ids ?? [],
        remove_source_branch: Boolean(remove_source_branch),
      };
      project.mergeRequests.push(mr);
      return { status: 201, body: shape(path, mr) };
    }
    const one = /^\/merge_requests\/(\d+)$/.exec(rest);
    if (r.method === 'PUT' && one) {
      const mr = project.mergeRequests.find((m) => m.iid === Number(one[1]));
      if (!mr) return { status: 404, body: { message: '404 Not found' } };
      const { title, description } = r.body ?? {};
      if (title !== undefined) mr.title = title;
      if (description !== undefined) mr.description = description ?? '';
      return { status: 200, body: shape(path, mr) };
    }
    return { status: 404, body: { message: '404 Not Found' } };
  };

  const server = await startRecordingServer(handle);
  let nextId = 100;
  return {
    ...server,
    apiUrl: `${server.url}/api/v4`,
    token,
    projects,
    add(path: string, project: Partial<Omit<FleetProject, 'id' | 'mergeRequests'>> & { cloneUrl: string }) {
      projects.set(path, {
        id: nextId++,
        defaultBranch: 'main',
        archived: false,
        topics: [],
        mergeRequests: [],
        accessLevel: 30,
        ...project,
      });
    },
  };
}

export type FakeGitLabFleet = Awaited<ReturnType<typeof startFakeGitLabFleet>>;
