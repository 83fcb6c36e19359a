import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubClient } from '../../src/io/forge/github.js';
import { gitlabClient } from '../../src/io/forge/gitlab.js';
import { ForgeError } from '../../src/io/forge/types.js';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.js';
import { type FakeGitLab, startFakeGitLab } from '../helpers/fake-gitlab.js';

const request = {
  title: 'Add skill x',
  body: 'b',
  branch: 'spine/contrib/t/x',
  base: 'main',
  draft: false,
  reviewers: [],
};

describe('GitHub client', () => {
  let gh: FakeGitHub;
  beforeAll(async () => {
    gh = await startFakeGitHub({ defaultBranch: 'trunk' });
  });
  afterAll(() => gh.close());
  const client = (token = gh.token) => githubClient({ owner: 'acme', repo: 'spine', token, baseUrl: gh.url });

  it('reads the default branch and whether the repository is archived', async () => {
    expect(await client().preflight()).toEqual({ defaultBranch: 'trunk', archived: false });
  });

  it('treats 422 "already exists" after a lost race as the existing pull request', async () => {
    const first = await client().openReview(request);
    expect(first.created).toBe(true);
    gh.state.hideOpenPullsOnce = true;
    const second = await client().openReview(request);
    expect(second).toMatchObject({ number: first.number, created: false });
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls')).at(-1)).toBeDefined();
    expect(gh.pulls).toHaveLength(1);
    expect(second.updated).toBe(false);
    expect(gh.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('rewrites the open pull request only when its text differs, and warns when it cannot', async () => {
    const changed = await client().openReview({ ...request, body: 'new files' });
    expect(changed).toMatchObject({ number: 1, created: false, updated: true, warnings: [] });
    const patch = gh.requests.filter((r) => r.method === 'PATCH');
    expect(patch.map((r) => r.path)).toEqual(['/repos/acme/spine/pulls/1']);
    expect(patch[0]!.body).toEqual({ title: 'Add skill x', body: 'new files' });
    gh.state.fail = { status: 403, message: 'Forbidden', when: (r) => r.method === 'PATCH' };
    try {
      const refused = await client().openReview(request);
      expect(refused).toMatchObject({ number: 1, updated: false });
      expect(refused.warnings[0]).toContain('could not update the title and description of pull request #1');
    } finally {
      gh.state.fail = undefined;
    }
  });

  it('classifies 401 as auth and a closed port as unreachable', async () => {
    await expect(client('nope').preflight()).rejects.toMatchObject({ kind: 'auth', status: 401 });
    const down = await startFakeGitHub();
    await down.close();
    const error = await githubClient({ owner: 'acme', repo: 'spine', token: 't', baseUrl: down.url })
      .preflight()
      .catch((e) => e);
    expect(error).toBeInstanceOf(ForgeError);
    expect(error.kind).toBe('unreachable');
  });
});

describe('GitLab client', () => {
  let gl: FakeGitLab;
  beforeAll(async () => {
    gl = await startFakeGitLab();
  });
  afterAll(() => gl.close());
  const client = () => gitlabClient({ project: 'acme/platform/spine', token: gl.token, baseUrl: gl.apiUrl });

  it('reuses the open merge request on 409', async () => {
    const first = await client().openReview({ ...request, reviewers: ['@platform-lead', '@ghost'] });
    expect(first).toMatchObject({ created: true, reviewers: ['@platform-lead', '@ghost'] });
    expect(first.warnings).toEqual(['reviewer @ghost is not a GitLab user']);
    expect(gl.mergeRequests[0]!.reviewer_ids).toEqual([7]);
    const second = await client().openReview(request);
    expect(second).toMatchObject({ number: first.number, created: false, updated: false });
    expect(gl.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('classifies a 401', async () => {
    const bad = gitlabClient({ project: 'acme/platform/spine', token: 'x', baseUrl: gl.apiUrl });
    await expect(bad.preflight()).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });
});
