import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BRANCH,
  contribute,
  GITHUB_UPSTREAM,
  remoteBranches,
  type Setup,
  SKILL,
  SKILL_MD,
  setup,
  teamState,
} from '../helpers/contribute-setup.js';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.js';
import { startFakeGitLab } from '../helpers/fake-gitlab.js';
import { git, tempDir, writeTree } from '../helpers/gitdir.js';

describe('spine contribute against GitHub', () => {
  let gh: FakeGitHub;
  let s: Setup;
  const env = () => ({ GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token });

  beforeAll(async () => {
    gh = await startFakeGitHub();
    s = await setup(GITHUB_UPSTREAM);
  });
  afterAll(() => gh.close());

  it('dry run shows branch, diff and PR text, and pushes nothing and calls no API', async () => {
    const before = teamState(s.team);
    const result = await contribute(s, [SKILL, '--dry-run'], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(BRANCH);
    expect(result.stdout).toContain(`+++ b/skills/${SKILL}/SKILL.md`);
    expect(result.stdout).toContain(`Add skill ${SKILL} (from payments)`);
    expect(result.stdout).toContain('champion: @alice');
    expect(gh.requests).toEqual([]);
    expect(remoteBranches(s.spine)).toEqual(['main']);
    expect(teamState(s.team)).toEqual(before);
  });

  it('pushes the branch, opens the pull request and leaves the team repo untouched', async () => {
    const before = teamState(s.team);
    const result = await contribute(s, [SKILL, '--json'], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ branch: BRANCH, base: 'main', push: 'created', update: false });
    expect(json.pr).toMatchObject({
      url: 'https://github.example/acme/spine/pull/1',
      number: 1,
      created: true,
    });
    expect(json.commit).toMatch(/^[0-9a-f]{40}$/);

    expect(remoteBranches(s.spine)).toContain(BRANCH);
    expect(git(s.spine, 'rev-parse', BRANCH)).toBe(json.commit);
    expect(git(s.spine, 'show', `${BRANCH}:skills/${SKILL}/SKILL.md`)).toBe(SKILL_MD.trimEnd());
    expect(git(s.spine, 'rev-parse', `${BRANCH}^`)).toBe(git(s.spine, 'rev-parse', 'main'));
    const message = git(s.spine, 'log', '-1', '--format=%B', BRANCH);
    expect(message).toContain('Spine-Team: payments');
    expect(message).toContain('Spine-Champion: @alice');
    expect(git(s.spine, 'log', '-1', '--format=%an <%ae>', BRANCH)).toBe('Test <test@example.com>');

    const create = gh.requests.find((r) => r.method === 'POST' && r.path === '/repos/acme/spine/pulls')!;
    expect(create.headers.authorization).toBe(`token ${gh.token}`);
    expect(create.body).toMatchObject({
      head: BRANCH,
      base: 'main',
      title: `Add skill ${SKILL} (from payments)`,
    });
    expect(create.body.body).toContain('Walks through the pre-deploy checklist');
    expect(create.body.body).toContain(`skills/${SKILL}/SKILL.md`);
    expect(create.body.body).toContain('team: payments');
    const review = gh.requests.find((r) => r.path.endsWith('/pulls/1/requested_reviewers'))!;
    expect(review.body.reviewers).toEqual(['platform-lead']);
    expect(teamState(s.team)).toEqual(before);
  });

  it('a rerun finds the open pull request, never opens a second, and refreshes its text', async () => {
    const seen = gh.requests.length;
    const again = await contribute(s, [SKILL, '--json'], env());
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      push: 'unchanged',
      pr: { number: 1, created: false, updated: false },
    });
    // Same text as the open PR: no update is sent.
    expect(gh.requests.slice(seen).filter((r) => r.method !== 'GET')).toEqual([]);

    // A new file changes the branch and the PR's file list: same branch, same PR, new text.
    writeTree(s.team, { [`.claude/skills/${SKILL}/canary.md`]: '# Canary\n\nWatch the canary.\n' });
    const before = { ...gh.pulls[0]! };
    const mark = gh.requests.length;
    const dry = await contribute(s, [SKILL, '--dry-run'], env());
    expect(dry.code).toBe(0);
    expect(gh.requests.length).toBe(mark); // --dry-run calls no API, so nothing is updated
    expect(gh.pulls[0]).toEqual(before);

    const edited = await contribute(s, [SKILL, '--title', 'Deploy checklist for payment services'], env());
    expect(edited.stderr).toBe('');
    expect(edited.code).toBe(0);
    expect(edited.stdout).toContain('pull request already open (#1, title and description updated)');
    expect(git(s.spine, 'show', `${BRANCH}:skills/${SKILL}/canary.md`)).toContain('Watch the canary');
    expect(gh.pulls).toHaveLength(1);
    const sent = gh.requests.slice(mark).filter((r) => r.method !== 'GET');
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['PATCH /repos/acme/spine/pulls/1']);
    expect(sent[0]!.headers.authorization).toBe(`token ${gh.token}`);
    expect(sent[0]!.body.title).toBe('Deploy checklist for payment services');
    expect(sent[0]!.body.body).toContain(`skills/${SKILL}/canary.md`);
    expect(before.body).not.toContain('canary.md');
    expect(gh.pulls[0]).toMatchObject({
      title: 'Deploy checklist for payment services',
      body: sent[0]!.body.body,
    });

    // Run again with the same text: nothing to push, nothing to update.
    const mark2 = gh.requests.length;
    const same = await contribute(
      s,
      [SKILL, '--json', '--title', 'Deploy checklist for payment services'],
      env(),
    );
    expect(JSON.parse(same.stdout)).toMatchObject({ push: 'unchanged', pr: { updated: false } });
    expect(gh.requests.slice(mark2).filter((r) => r.method !== 'GET')).toEqual([]);
    rmSync(join(s.team, `.claude/skills/${SKILL}/canary.md`));
  });

  it("a reviewer's commit on the branch is not replaced without --force", async () => {
    const clone = tempDir('spine-reviewer-');
    git(clone, 'clone', '-q', '--branch', BRANCH, s.spine, '.');
    writeTree(clone, { [`skills/${SKILL}/SKILL.md`]: `${SKILL_MD}Reviewed.\n` });
    git(clone, 'commit', '-q', '-am', 'reviewer fix');
    git(clone, 'push', '-q', 'origin', BRANCH);
    const theirs = git(s.spine, 'rev-parse', BRANCH);

    const refused = await contribute(s, [SKILL], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('did not make');
    expect(git(s.spine, 'rev-parse', BRANCH)).toBe(theirs);

    const forced = await contribute(s, [SKILL, '--force', '--json'], env());
    expect(forced.code).toBe(0);
    // Back to the default title and one file: the PR's text follows.
    expect(JSON.parse(forced.stdout)).toMatchObject({
      push: 'updated',
      pr: { number: 1, created: false, updated: true },
    });
    expect(gh.pulls[0]!.title).toBe(`Add skill ${SKILL} (from payments)`);
    expect(gh.pulls[0]!.body).not.toContain('canary.md');
    expect(git(s.spine, 'show', `${BRANCH}:skills/${SKILL}/SKILL.md`)).toBe(SKILL_MD.trimEnd());
  });

  it('a spine skill edited locally is proposed as an update, shown as a diff', async () => {
    const path = join(s.team, '.claude/skills/review-change/SKILL.md');
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n- Check the feature flag is off by default.\n`);
    const result = await contribute(s, ['review-change', '--dry-run'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('update of skill review-change');
    expect(result.stdout).toContain('+- Check the feature flag is off by default.');
    expect(result.stdout).toContain('Update skill review-change');
    git(s.team, 'checkout', '--', '.claude/skills/review-change/SKILL.md');
  });

  it('a near-duplicate is named and refused under --yes unless --force', async () => {
    writeTree(s.team, {
      '.claude/skills/review-changes/SKILL.md':
        '---\nname: review-changes\ndescription: Our own way to review a diff before it is merged.\n---\n\nSteps.\n',
    });
    const refused = await contribute(s, ['review-changes', '--yes', '--dry-run'], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('.claude/skills/review-changes/SKILL.md');
    expect(refused.stderr).toContain('"review-change" (similar name)');
    expect(refused.stderr).toContain('--force');
    const forced = await contribute(s, ['review-changes', '--yes', '--dry-run', '--force'], env());
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('similar upstream skill: review-change');
  });
});

describe('spine contribute against GitLab', () => {
  it('opens a merge request once and reuses it on a rerun', async () => {
    const gl = await startFakeGitLab({ project: 'acme/platform/spine' });
    try {
      const s = await setup('upstream: { forge: gitlab, project: acme/platform/spine }\n', {
        'champions.yaml': 'reviewers: ["@platform-lead"]\n',
      });
      const env = { GITLAB_API_URL: gl.apiUrl, GITLAB_TOKEN: gl.token };
      const first = await contribute(s, [SKILL, '--json', '--draft'], env);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout).pr).toMatchObject({
        url: 'https://gitlab.example/acme/platform/spine/-/merge_requests/1',
        created: true,
      });
      const create = gl.requests.find((r) => r.method === 'POST')!;
      expect(create.path).toBe('/api/v4/projects/acme%2Fplatform%2Fspine/merge_requests');
      expect(create.headers['private-token']).toBe(gl.token);
      expect(create.body).toMatchObject({
        source_branch: BRANCH,
        target_branch: 'main',
        title: `Draft: Add skill ${SKILL} (from payments)`,
        reviewer_ids: [7],
      });
      expect(remoteBranches(s.spine)).toContain(BRANCH);

      const seen = gl.requests.length;
      const second = await contribute(s, [SKILL, '--json'], env);
      expect(JSON.parse(second.stdout).pr).toMatchObject({ created: false, updated: false });
      expect(gl.requests.slice(seen).filter((r) => r.method !== 'GET')).toEqual([]);
      expect(gl.mergeRequests).toHaveLength(1);

      // A new file: the MR's description and title are rewritten, and it stays a draft.
      writeTree(s.team, { [`.claude/skills/${SKILL}/canary.md`]: '# Canary\n' });
      const mark = gl.requests.length;
      const third = await contribute(s, [SKILL, '--json', '--title', 'Deploy checklist'], env);
      expect(third.stderr).toBe('');
      expect(JSON.parse(third.stdout)).toMatchObject({
        push: 'updated',
        pr: { number: 1, created: false, updated: true },
      });
      const sent = gl.requests.slice(mark).filter((r) => r.method !== 'GET');
      expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
        'PUT /api/v4/projects/acme%2Fplatform%2Fspine/merge_requests/1',
      ]);
      expect(sent[0]!.headers['private-token']).toBe(gl.token);
      expect(sent[0]!.body.title).toBe('Draft: Deploy checklist');
      expect(sent[0]!.body.description).toContain(`skills/${SKILL}/canary.md`);
      expect(gl.mergeRequests[0]).toMatchObject({
        title: 'Draft: Deploy checklist',
        description: sent[0]!.body.description,
      });
      expect(gl.mergeRequests).toHaveLength(1);
    } finally {
      await gl.close();
    }
  });
});
