import { type RecordedRequest, type Reply, startRecordingServer } from './fake-forge-server.js';

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  reviewers: string[];
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  defaultBranch?: string;
  /** The one token it accepts; any other gets 401 "Bad credentials". */
  token?: string;
}

/** GitHub's REST API for the endpoints contribute uses, with GitHub's status codes and shapes. */
export async function startFakeGitHub({
  owner = 'acme',
  repo = 'spine',
  defaultBranch = 'main',
  token = 'ghp_test',
}: FakeGitHubOptions = {}) {
  const pulls: FakePull[] = [];
  const state = {
    /** Force a status on the next matching requests: e.g. `{ status: 500 }` for every call. */
    fail: undefined as
      | undefined
      | { status: number; message: string; when?: (r: RecordedRequest) => boolean },
    /** Make the next pulls look-up miss an open PR (a race with another run). */
    hideOpenPullsOnce: false,
  };
  const web = `https://github.example/${owner}/${repo}`;
  const prefix = `/repos/${owner}/${repo}`;
  const shape = (p: FakePull) => ({
    number: p.number,
    state: p.state,
    title: p.title,
    body: p.body,
    draft: p.draft,
    html_url: `${web}/pull/${p.number}`,
    url: `https://api.github.example${prefix}/pulls/${p.number}`,
    head: { ref: p.head.split(':')[1], label: p.head },
    base: { ref: p.base },
    requested_reviewers: p.reviewers.map((login) => ({ login })),
  });

  const handle = (r: RecordedRequest): Reply => {
    if (state.fail && (!state.fail.when || state.fail.when(r))) {
      return { status: state.fail.status, body: { message: state.fail.message } };
    }
    if (r.headers.authorization !== `token ${token}`) {
      return {
        status: 401,
        body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
      };
    }
    if (r.method === 'GET' && r.path === prefix) {
      return {
        status: 200,
        body: { id: 1, name: repo, full_name: `${owner}/${repo}`, default_branch: defaultBranch },
      };
    }
    if (r.method === 'GET' && r.path === `${prefix}/pulls`) {
      if (state.hideOpenPullsOnce) {
        state.hideOpenPullsOnce = false;
        return { status: 200, body: [] };
      }
      const found = pulls.filter(
        (p) =>
          (!r.query.head || p.head === r.query.head) &&
          (r.query.state === 'all' || p.state === (r.query.state ?? 'open')),
      );
      return { status: 200, body: found.map(shape) };
    }
    if (r.method === 'POST' && r.path === `${prefix}/pulls`) {
      const { title, head, base, body, draft } = r.body ?? {};
      if (!title || !head || !base) return { status: 422, body: { message: 'Validation Failed' } };
      const label = head.includes(':') ? head : `${owner}:${head}`;
      if (pulls.some((p) => p.head === label && p.state === 'open')) {
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [
              {
                resource: 'PullRequest',
                code: 'custom',
                message: `A pull request already exists for ${label}.`,
              },
            ],
            documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
          },
        };
      }
      const pull: FakePull = {
        number: pulls.length + 1,
        title,
        body: body ?? '',
        head: label,
        base,
        draft: Boolean(draft),
        state: 'open',
        reviewers: [],
      };
      pulls.push(pull);
      return { status: 201, body: shape(pull) };
    }
    const one = new RegExp(`^${prefix}/pulls/(\\d+)$`).exec(r.path);
    if (r.method === 'PATCH' && one) {
      const pull = pulls.find((p) => p.number === Number(one[1]));
      if (!pull) return { status: 404, body: { message: 'Not Found' } };
      const { title, body } = r.body ?? {};
      if (title !== undefined) {
        if (typeof title !== 'string' || !title)
          return { status: 422, body: { message: 'Validation Failed' } };
        pull.title = title;
      }
      if (body !== undefined) pull.body = body ?? '';
      return { status: 200, body: shape(pull) };
    }
    const reviewers = new RegExp(`^${prefix}/pulls/(\\d+)/requested_reviewers$`).exec(r.path);
    if (r.method === 'POST' && reviewers) {
      const pull = pulls.find((p) => p.number === Number(reviewers[1]));
      if (!pull) return { status: 404, body: { message: 'Not Found' } };
      pull.reviewers.push(...(r.body?.reviewers ?? []));
      return { status: 201, body: shape(pull) };
    }
    return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
  };

  const server = await startRecordingServer(handle);
  return { ...server, pulls, state, token };
}

export type FakeGitHub = Awaited<ReturnType<typeof startFakeGitHub>>;
