import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitLabFleet, startFakeGitLabFleet } from '../helpers/fake-gitlab-fleet.js';
import { git, gitdir, read, tempDir } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';
import { editFile } from '../helpers/spine-copy.js';

// `spine rollout` against a GitLab group: the same real git fleet as the GitHub test (bare
// remotes, a spine with v1.0.0 and v1.1.0), projects in a group and a subgroup, and a loopback
// GitLab API v4 that speaks GitLab's shapes (merge requests, `Draft:` titles, reviewer ids).

const SKILL = '.claude/skills/review-change/SKILL.md';
const BRANCH = 'spine/update-v1.1.0';
const GROUP = 'acme/teams';

let root: string;
let spine: string;
let cache: string;
let forge: FakeGitLabFleet;

const env = () => ({
  XDG_CACHE_HOME: cache,
  GITLAB_API_URL: forge?.apiUrl ?? '',
  GITLAB_TOKEN: forge?.token ?? '',
  GIT_CONFIG_GLOBAL: '/dev/null',
});
const rollout = (...args: string[]) =>
  runCli(['rollout', '--org', `gitlab:${GROUP}`, ...args], { cwd: root, env: env() });
const mergeRequestsOf = (path: string) => forge.projects.get(path)!.mergeRequests;
const byName = (rows: { name: string }[]) =>
  Object.fromEntries(rows.map((r) => [r.name, r])) as Record<string, any>;

async function teamProject(
  path: string,
  ref: string,
  edit?: (dir: string) => void,
  accessLevel = 30,
): Promise<void> {
  const name = path.split('/').pop()!;
  const work = gitdir({ 'README.md': `# ${name}\n` }, `team-${name}-`);
  const init = await runCli(
    ['init', '--spine', spine, '--ref', ref, '--team', name, '--champion', `@champ-${name}`, '--yes'],
    { cwd: work, env: env() },
  );
  expect(init.code, init.stderr).toBe(0);
  edit?.(work);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'onboard');
  const bare = join(root, 'remotes', `${name}.git`);
  git(work, 'clone', '-q', '--bare', work, bare);
  forge.add(path, { cloneUrl: `file://${bare}`, archived: name === 'legacy', accessLevel });
}

beforeAll(async () => {
  forge = await startFakeGitLabFleet({
    users: { 'champ-payments': 11, 'champ-risky': 12, 'platform-lead': 7 },
  });
  root = tempDir('spine-gitlab-fleet-');
  cache = tempDir('spine-cache-');
  const work = gitdir({}, 'spine-work-');
  cpSync(EMBEDDED_SPINE, work, { recursive: true });
  // The platform reviewers are asked on every request, beside the team's champion.
  writeFileSync(join(work, 'champions.yaml'), 'reviewers: ["@platform-lead"]\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'v1.0.0');
  git(work, 'tag', 'v1.0.0');
  editFile(work, 'skills/review-change/SKILL.md', (t) => `${t}\nUpstream closing line.\n`);
  editFile(work, 'spine.yaml', (t) => t.replace(/^version: .*$/m, 'version: 1.1.0'));
  editFile(work, 'CHANGELOG.md', (t) =>
    t.replace('## 1.0.0', '## 1.1.0\n\n- review-change gains a closing line.\n\n## 1.0.0'),
  );
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'release 1.1.0');
  git(work, 'tag', 'v1.1.0');
  spine = join(tempDir('spine-remote-'), 'spine.git');
  git(work, 'clone', '-q', '--bare', work, spine);

  await teamProject(`${GROUP}/payments`, 'v1.0.0');
  await teamProject(`${GROUP}/payments-domain/ledger`, 'v1.0.0');
  await teamProject(`${GROUP}/risky`, 'v1.0.0', (dir) =>
    writeFileSync(join(dir, SKILL), `${read(dir, SKILL)}\nTeam closing line.\n`),
  );
  await teamProject(`${GROUP}/current`, 'v1.1.0');
  await teamProject(`${GROUP}/legacy`, 'v1.0.0');
  await teamProject('other-group/outside', 'v1.0.0');
  // A project the token may only read (Reporter): named in the preview, never half-published.
  await teamProject('locked/vault', 'v1.0.0', undefined, 20);
}, 120_000);

afterAll(() => forge?.close());

describe('spine rollout on GitLab', { timeout: 240_000 }, () => {
  it('previews a group and its subgroups, writing nothing', async () => {
    const result = await rollout('--json');
    expect(result.code, result.stderr).toBe(0);
    const rows = byName(JSON.parse(result.stdout).rows);
    expect(Object.keys(rows).sort()).toEqual(['current', 'ledger', 'legacy', 'payments', 'risky']);
    expect(rows.payments).toMatchObject({ state: 'clean', from: '1.0.0', to: '1.1.0' });
    expect(rows.ledger.state).toBe('clean');
    expect(rows.risky).toMatchObject({ state: 'conflicts', conflicts: [SKILL] });
    expect(rows.current.state).toBe('current');
    expect(rows.legacy.state).toBe('archived');
    expect(forge.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('opens one merge request per project, a Draft: one for conflicts, reviewers by id; never a second', async () => {
    const first = await rollout('--publish', '--json');
    expect(first.code, first.stderr).toBe(0);
    const rows = byName(JSON.parse(first.stdout).rows);
    for (const name of ['payments', 'ledger', 'risky']) {
      const path = name === 'ledger' ? `${GROUP}/payments-domain/ledger` : `${GROUP}/${name}`;
      expect(rows[name].publish.published, name).toMatchObject({ branch: BRANCH, push: 'created' });
      const mrs = mergeRequestsOf(path);
      expect(mrs).toHaveLength(1);
      expect(mrs[0]).toMatchObject({
        source_branch: BRANCH,
        target_branch: 'main',
        title: name === 'risky' ? 'Draft: spine: update to v1.1.0' : 'spine: update to v1.1.0',
        remove_source_branch: true,
      });
      const bare = join(root, 'remotes', `${name}.git`);
      expect(JSON.parse(git(bare, 'show', `${BRANCH}:.spine/lock.json`)).spine.version).toBe('1.1.0');
      expect(JSON.parse(git(bare, 'show', 'main:.spine/lock.json')).spine.version).toBe('1.0.0');
    }
    // The champion and the spine's reviewers, by GitLab id; a handle GitLab does not know is left
    // out, not a failure.
    expect(mergeRequestsOf(`${GROUP}/payments`)[0]!.reviewer_ids).toEqual([11, 7]);
    expect(mergeRequestsOf(`${GROUP}/risky`)[0]!.reviewer_ids).toEqual([12, 7]);
    expect(mergeRequestsOf(`${GROUP}/payments-domain/ledger`)[0]!.reviewer_ids).toEqual([7]);
    expect(mergeRequestsOf(`${GROUP}/risky`)[0]!.description).toContain('spine update --continue');
    expect(mergeRequestsOf(`${GROUP}/payments`)[0]!.description).toContain(
      'review-change gains a closing line',
    );
    for (const path of [`${GROUP}/current`, `${GROUP}/legacy`, 'other-group/outside'])
      expect(mergeRequestsOf(path)).toEqual([]);

    const again = await rollout('--publish', '--json');
    const rerun = byName(JSON.parse(again.stdout).rows);
    for (const name of ['payments', 'ledger', 'risky']) {
      expect(rerun[name].publish.published).toMatchObject({ push: 'unchanged', review: { created: false } });
    }
    expect(mergeRequestsOf(`${GROUP}/payments`)).toHaveLength(1);
    // The draft stays a draft on a rerun: GitLab's draft flag is the title prefix.
    expect(mergeRequestsOf(`${GROUP}/risky`)[0]!.title).toMatch(/^Draft: /);
  });

  it('status reads merged and closed merge requests; a closed one is respected', async () => {
    const payments = mergeRequestsOf(`${GROUP}/payments`)[0]!;
    Object.assign(payments, { state: 'merged', merged_at: '2026-12-02T09:00:00.000Z' });
    git(join(root, 'remotes', 'payments.git'), 'update-ref', 'refs/heads/main', `refs/heads/${BRANCH}`);
    Object.assign(mergeRequestsOf(`${GROUP}/payments-domain/ledger`)[0]!, { state: 'closed' });

    const status = await runCli(['rollout', 'status', '--org', `gitlab:${GROUP}`, '--json'], {
      cwd: root,
      env: env(),
    });
    expect(status.stderr).toBe('');
    const report = JSON.parse(status.stdout);
    const rows = byName(report.rows);
    expect([rows.payments.status, rows.payments.doneAt]).toEqual(['done', '2026-12-02']);
    expect(rows.ledger.status).toBe('declined');
    expect(rows.risky.status).toBe('conflicted');
    expect(rows.current.status).toBe('done');

    const republish = await rollout('--publish', '--json');
    const rerun = byName(JSON.parse(republish.stdout).rows);
    expect(rerun.ledger.publish.declined).toContain('/acme/teams/payments-domain/ledger/-/merge_requests/1');
    expect(mergeRequestsOf(`${GROUP}/payments-domain/ledger`)).toHaveLength(1);
    expect(rerun.payments.state).toBe('current');
  });

  it('bad input: an unknown group, a wrong token — one line, exit 2, nothing pushed', async () => {
    const unknown = await runCli(['rollout', '--org', 'gitlab:nobody'], { cwd: root, env: env() });
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      expect.stringMatching(/^spine: gitlab:nobody: GitLab refused to list the projects of nobody: 404/),
    ]);
    const before = git(join(root, 'remotes', 'risky.git'), 'for-each-ref');
    const wrong = await runCli(['rollout', '--org', `gitlab:${GROUP}`, '--publish'], {
      cwd: root,
      env: { ...env(), GITLAB_TOKEN: 'glpat-wrong' },
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/GitLab refused .*401/);
    expect(git(join(root, 'remotes', 'risky.git'), 'for-each-ref')).toBe(before);

    const locked = await runCli(['rollout', '--org', 'gitlab:locked', '--json'], { cwd: root, env: env() });
    expect(byName(JSON.parse(locked.stdout).rows).vault).toMatchObject({
      state: 'clean',
      reason: 'no write access for this token',
    });
    const refused = await runCli(['rollout', '--org', 'gitlab:locked', '--publish'], {
      cwd: root,
      env: env(),
    });
    expect([refused.code, refused.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(refused.stderr).toMatch(
      /gitlab:locked\/vault: the token cannot push to it \(write access needed\)/,
    );
    expect(git(join(root, 'remotes', 'vault.git'), 'for-each-ref', '--format=%(refname)')).toBe(
      'refs/heads/main',
    );
  });
});
