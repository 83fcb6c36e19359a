import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { git, gitdir, snapshot, tempDir, writeTree } from './gitdir.js';
import { EMBEDDED_SPINE, runCli } from './run-cli.js';

/** Shared by the contribute tests: a bare git spine, a team repo onboarded onto it, its skill. */

export const SKILL = 'deploy-checklist';
export const SKILL_MD = `---
name: ${SKILL}
description: Walks through the pre-deploy checklist for payment services before a production rollout.
---

# Deploy checklist

1. Check the error-rate dashboard.
2. Confirm the rollback plan.
`;

export interface Setup {
  spine: string;
  team: string;
  cache: string;
}

/** A bare git spine (the embedded one plus `extra` files) and a team repo onboarded onto it. */
export async function setup(spineYamlExtra: string, extra: Record<string, string> = {}): Promise<Setup> {
  const work = tempDir('spine-upstream-');
  cpSync(EMBEDDED_SPINE, work, { recursive: true });
  writeFileSync(
    join(work, 'spine.yaml'),
    `${readFileSync(join(work, 'spine.yaml'), 'utf8')}${spineYamlExtra}`,
  );
  writeTree(work, { 'champions.yaml': 'reviewers: ["@platform-lead"]\n', ...extra });
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'spine v1');
  const spine = join(tempDir('spine-remote-'), 'spine.git');
  git(work, 'clone', '-q', '--bare', work, spine);

  const team = gitdir({ 'README.md': '# payments\n' }, 'spine-team-');
  const cache = tempDir('spine-cache-');
  const init = await runCli(
    ['init', '--spine', spine, '--team', 'payments', '--champion', '@alice', '--yes'],
    {
      cwd: team,
      env: { XDG_CACHE_HOME: cache },
    },
  );
  expect(init.stderr).toBe('');
  writeTree(team, { [`.claude/skills/${SKILL}/SKILL.md`]: SKILL_MD });
  git(team, 'add', '-A');
  git(team, 'commit', '-q', '-m', 'onboard');
  return { spine, team, cache };
}

export const GITHUB_UPSTREAM = 'upstream: { forge: github, repo: acme/spine }\n';

export function contribute(s: Setup, args: string[], env: Record<string, string | undefined> = {}) {
  return runCli(['contribute', ...args], {
    cwd: s.team,
    env: {
      XDG_CACHE_HOME: s.cache,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GITHUB_TOKEN: undefined,
      GH_TOKEN: undefined,
      GITLAB_TOKEN: undefined,
      ...env,
    },
  });
}

export function remoteBranches(spine: string): string[] {
  return git(spine, 'for-each-ref', '--format=%(refname:short)', 'refs/heads').split('\n').filter(Boolean);
}

/** The team repo as a whole: files, HEAD, index and status. */
export function teamState(team: string) {
  return {
    files: snapshot(team),
    head: git(team, 'rev-parse', 'HEAD'),
    branch: git(team, 'symbolic-ref', 'HEAD'),
    status: git(team, 'status', '--porcelain'),
    worktrees: git(team, 'worktree', 'list'),
  };
}

export const BRANCH = `spine/contrib/payments/${SKILL}`;
