import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BRANCH,
  contribute,
  GITHUB_UPSTREAM,
  remoteBranches,
  type Setup,
  SKILL,
  setup,
  teamState,
} from '../helpers/contribute-setup.js';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github.js';
import { git, tempDir, writeTree } from '../helpers/gitdir.js';

describe('spine contribute refuses and fails cleanly', () => {
  let gh: FakeGitHub;
  // Shared by the cases that leave the remote as they found it (checked in each).
  let s: Setup;
  beforeAll(async () => {
    gh = await startFakeGitHub();
    s = await setup(GITHUB_UPSTREAM);
  });
  afterAll(() => gh.close());

  it('refuses a skill with a token in it, with file and line, and pushes nothing', async () => {
    writeTree(s.team, {
      [`.claude/skills/${SKILL}/notes.md`]: `# Notes\n\nexport GITHUB_TOKEN=ghp_${'a1B2c3D4e5'.repeat(4)}\n`,
    });
    const before = teamState(s.team);
    const seen = gh.requests.length;
    const result = await contribute(s, [SKILL], { GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`.claude/skills/${SKILL}/notes.md:3:`);
    expect(result.stderr).toContain('token-github');
    expect(result.stderr).not.toContain('a1B2c3D4e5a1B2c3');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(remoteBranches(s.spine)).toEqual(['main']);
    expect(gh.requests.length).toBe(seen);
    expect(teamState(s.team)).toEqual(before);
    rmSync(join(s.team, `.claude/skills/${SKILL}/notes.md`));
  });

  it('push rejected: a clear message, exit 2, no pull request', async () => {
    const s = await setup(GITHUB_UPSTREAM);
    const hook = join(s.spine, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "branch creation is restricted" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const seen = gh.requests.length;
    const result = await contribute(s, [SKILL], { GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^spine: .*: push to .* was rejected/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(remoteBranches(s.spine)).toEqual(['main']);
    expect(gh.requests.slice(seen).some((r) => r.method === 'POST')).toBe(false);
  });

  it('API down: exit 2 before anything is pushed', async () => {
    const down = await startFakeGitHub();
    await down.close();
    const result = await contribute(s, [SKILL], { GITHUB_API_URL: down.url, GITHUB_TOKEN: 'ghp_test' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot reach the GitHub API at ${down.url}`);
    expect(result.stderr).toContain('nothing was pushed');
    expect(remoteBranches(s.spine)).toEqual(['main']);
  });

  it('401: exit 2 naming the token, nothing pushed', async () => {
    const result = await contribute(s, [SKILL], { GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'ghp_wrong' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('401 Bad credentials');
    expect(result.stderr).toContain('GITHUB_TOKEN');
    expect(remoteBranches(s.spine)).toEqual(['main']);
  });

  it('PR creation failing after the push removes the branch it created', async () => {
    gh.state.fail = {
      status: 503,
      message: 'Service Unavailable',
      when: (r) => r.method === 'POST' && r.path === '/repos/acme/spine/pulls',
    };
    try {
      const result = await contribute(s, [SKILL], { GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('503');
      expect(result.stderr).toContain('was removed again');
      expect(remoteBranches(s.spine)).toEqual(['main']);
    } finally {
      gh.state.fail = undefined;
    }
  });

  it('with no token: pushes the branch and says exactly how to open the review', async () => {
    const s = await setup(GITHUB_UPSTREAM);
    const result = await contribute(s, [SKILL]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`https://github.com/acme/spine/compare/main...${BRANCH}?expand=1`);
    expect(result.stdout).toContain('set GITHUB_TOKEN');
    expect(result.stdout).toContain(`title: Add skill ${SKILL} (from payments)`);
    expect(remoteBranches(s.spine)).toContain(BRANCH);
  });

  it('with no forge: pushes to the fork remote from local.yaml and explains the manual review', async () => {
    const s = await setup('');
    const fork = join(tempDir('spine-fork-'), 'fork.git');
    git(s.spine, 'clone', '-q', '--bare', s.spine, fork);
    const local = join(s.team, '.spine/local.yaml');
    writeFileSync(local, `${readFileSync(local, 'utf8')}fork: ${JSON.stringify(fork)}\n`);
    const result = await contribute(s, [SKILL], { GITHUB_TOKEN: 'ghp_x' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("the spine's forge is unknown");
    expect(remoteBranches(fork)).toContain(BRANCH);
    expect(remoteBranches(s.spine)).toEqual(['main']);
  });
});
