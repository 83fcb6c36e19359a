import { type RecordedRequest, type Reply, startRecordingServer } from './fake-forge-server.js';

export interface FakeMergeRequest {
  iid: number;
  title: string;
  description: string;
  source_branch: string;
  target_branch: string;
  state: 'opened' | 'closed' | 'merged';
  reviewer_ids: number[];
}

/** GitLab's REST API v4 (under /api/v4) for the endpoints contribute uses. */
export async function startFakeGitLab({
  project = 'acme/platform/spine',
  defaultBranch = 'main',
  token = 'glpat-test',
  users = { 'platform-lead': 7 } as Record<string, number>,
} = {}) {
  const mergeRequests: FakeMergeRequest[] = [];
  const state = { fail: undefined as undefined | { status: number; message: string } };
  const encoded = encodeURIComponent(project);
  const prefix = `/api/v4/projects/${encoded}`;
  const web = `https://gitlab.example/${project}`;
  const shape = (mr: FakeMergeRequest) => ({
    ...mr,
    id: 1000 + mr.iid,
    draft: /^\s*(\[draft\]|\(draft\)|draft:)/i.test(mr.title),
    web_url: `${web}/-/merge_requests/${mr.iid}`,
  });

  const handle = (r: RecordedRequest): Reply => {
    if (state.fail) return { status: state.fail.status, body: { message: state.fail.message } };
    if (r.headers['private-token'] !== token) return { status: 401, body: { message: '401 Unauthorized' } };
    // Node's HTTP parser keeps %2F in the path as sent: compare encoded.
    if (r.method === 'GET' && r.path === prefix) {
      return {
        status: 200,
        body: { id: 42, path_with_namespace: project, default_branch: defaultBranch, web_url: web },
      };
    }
    if (r.method === 'GET' && r.path === '/api/v4/users') {
      const id = users[r.query.username ?? ''];
      return { status: 200, body: id ? [{ id, username: r.query.username }] : [] };
    }
    if (r.method === 'GET' && r.path === `${prefix}/merge_requests`) {
      const found = mergeRequests.filter(
        (mr) =>
          (!r.query.source_branch || mr.source_branch === r.query.source_branch) &&
          (!r.query.state || mr.state === r.query.state),
      );
      return { status: 200, body: found.map(shape) };
    }
    if (r.method === 'POST' && r.path === `${prefix}/merge_requests`) {
      const { source_branch, target_branch, title, description, reviewer_ids } = r.body ?? {};
      if (!source_branch || !target_branch || !title)
        return { status: 400, body: { message: 'bad request' } };
      const open = mergeRequests.find((mr) => mr.source_branch === source_branch && mr.state === 'opened');
      if (open) {
        return {
          status: 409,
          body: {
            message: [`Another open merge request already exists for this source branch: !${open.iid}`],
          },
        };
      }
      const mr: FakeMergeRequest = {
        iid: mergeRequests.length + 1,
        title,
        description: description ?? '',
        source_branch,
        target_branch,
        state: 'opened',
        reviewer_ids: reviewer_ids ?? [],
      };
      mergeRequests.push(mr);
      return { status: 201, body: shape(mr) };
    }
    const one = r.path.startsWith(`${prefix}/merge_requests/`)
      ? /^(\d+)$/.exec(r.path.slice(`${prefix}/merge_requests/`.length))
      : null;
    if (r.method === 'PUT' && one) {
      const mr = mergeRequests.find((m) => m.iid === Number(one[1]));
      if (!mr) return { status: 404, body: { message: '404 Not found' } };
      const { title, description } = r.body ?? {};
      if (title !== undefined) {
        if (typeof title !== 'string' || !title) return { status: 400, body: { message: 'title is empty' } };
        mr.title = title;
      }
      if (description !== undefined) mr.description = description ?? '';
      return { status: 200, body: shape(mr) };
    }
    return { status: 404, body: { message: '404 Not Found' } };
  };

  const server = await startRecordingServer(handle);
  return { ...server, apiUrl: `${server.url}/api/v4`, mergeRequests, state, token };
}

export type FakeGitLab = Awaited<ReturnType<typeof startFakeGitLab>>;
