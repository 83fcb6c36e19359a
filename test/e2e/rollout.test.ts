import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHubFleet, startFakeGitHubFleet } from '../helpers/fake-github-fleet.js';
import { git, gitdir, read, tempDir } from '../helpers/gitdir.js';
import { CHROMIUM, checkReleasePage } from '../helpers/release-page.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';
import { editFile } from '../helpers/spine-copy.js';

// `spine rollout` against real git: a spine with releases v1.0.0 and v1.1.0, a fleet of 30 team
// repos behind bare remotes (onboarded at either version, one with a team edit that conflicts,
// one not onboarded, one archived on the forge, one unreachable), and a loopback GitHub API.

const SKILL = '.claude/skills/review-change/SKILL.md';
const BRANCH = 'spine/update-v1.1.0';

let root: string;
let spine: string;
let forge: FakeGitHubFleet;
let cache: string;
// Thirty repositories in all: 25 that update cleanly, and one of every other kind.
const CLEAN = [
  'payments',
  'search',
  'billing',
  'ledger',
  'checkout',
  ...Array.from({ length: 20 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`),
];

function release(dir: string, version: string): void {
  editFile(dir, 'spine.yaml', (t) => t.replace(/^version: .*$/m, `version: ${version}`));
  editFile(dir, 'CHANGELOG.md', (t) =>
    t.replace('## 1.0.0', `## ${version}\n\n- review-change gains a closing line.\n\n## 1.0.0`),
  );
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `release ${version}`);
  git(dir, 'tag', `v${version}`);
}

/** The work tree of the first clean repository, copied for the others (init once, not 25 times). */
let onboardedTemplate: string | undefined;

/** A team repo behind a bare remote, onboarded at `ref` (or not at all), pushed to main. */
async function teamRepo(
  name: string,
  ref: string | undefined,
  edit?: (dir: string) => void,
): Promise<string> {
  const bare = join(root, 'remotes', `${name}.git`);
  if (ref === 'v1.0.0' && !edit && onboardedTemplate) {
    // The same onboarding as the template's, as the team's own: its name and champion.
    const work = join(tempDir(`team-${name}-`), name);
    git(root, 'clone', '-q', onboardedTemplate, work);
    editFile(work, '.spine/local.yaml', (t) =>
      t.replace(/^team: .*$/m, `team: "${name}"`).replace(/^champion: .*$/m, `champion: "@champ-${name}"`),
    );
    editFile(work, 'README.md', () => `# ${name}\n`);
    git(work, 'commit', '-q', '-am', 'onboard');
    git(work, 'clone', '-q', '--bare', work, bare);
    return bare;
  }
  const work = gitdir({ 'README.md': `# ${name}\n` }, `team-${name}-`);
  if (ref) {
    const init = await runCli(
      ['init', '--spine', spine, '--ref', ref, '--team', name, '--champion', `@champ-${name}`, '--yes'],
      { cwd: work, env: env() },
    );
    expect(init.code, init.stderr).toBe(0);
    edit?.(work);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'onboard');
    if (ref === 'v1.0.0' && !edit) onboardedTemplate ??= work;
  }
  git(work, 'clone', '-q', '--bare', work, bare);
  return bare;
}

const env = () => ({
  XDG_CACHE_HOME: cache,
  GITHUB_API_URL: forge?.url ?? '',
  GITHUB_TOKEN: forge?.token ?? '',
  GIT_CONFIG_GLOBAL: '/dev/null',
});
const branches = (name: string) =>
  git(join(root, 'remotes', `${name}.git`), 'for-each-ref', '--format=%(refname:short)', 'refs/heads').split(
    '\n',
  );
const rollout = (...args: string[]) =>
  runCli(['rollout', '--from-file', 'repos.txt', ...args], { cwd: root, env: env() });
const pullsOf = (name: string) => forge.repos.get(`acme/${name}`)!.pulls;

beforeAll(async () => {
  forge = await startFakeGitHubFleet();
  root = tempDir('spine-fleet-');
  cache = tempDir('spine-cache-');
  const work = gitdir({}, 'spine-work-');
  cpSync(EMBEDDED_SPINE, work, { recursive: true });
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'v1.0.0');
  git(work, 'tag', 'v1.0.0');
  editFile(work, 'skills/review-change/SKILL.md', (t) => `${t}\nUpstream closing line.\n`);
  release(work, '1.1.0');
  spine = join(tempDir('spine-remote-'), 'spine.git');
  git(work, 'clone', '-q', '--bare', work, spine);

  const lines: string[] = ['# the fleet', ''];
  const add = (name: string, bare: string) => {
    forge.add(`acme/${name}`, {
      archived: name === 'legacy',
      cloneUrl: `file://${bare}`,
      topics: name === 'ledger' ? ['payments-domain'] : [],
      properties:
        name === 'ledger' || name === 'checkout'
          ? { tier: name === 'ledger' ? 'gold' : 'silver', owners: ['payments', 'finance'] }
          : {},
    });
    lines.push(`file://${bare} github:acme/${name}`);
  };
  for (const name of CLEAN) add(name, await teamRepo(name, 'v1.0.0'));
  add(
    'risky',
    await teamRepo('risky', 'v1.0.0', (dir) =>
      writeFileSync(join(dir, SKILL), `${read(dir, SKILL)}\nTeam closing line.\n`),
    ),
  );
  add('current', await teamRepo('current', 'v1.1.0'));
  add('web', await teamRepo('web', undefined));
  add('legacy', await teamRepo('legacy', 'v1.0.0'));
  lines.push(`file://${join(root, 'remotes', 'ghost.git')} github:acme/ghost`);
  forge.add('acme/ghost');
  lines.push(`file://${join(root, 'remotes', 'payments.git')} github:acme/payments  # listed twice`);
  writeFileSync(join(root, 'repos.txt'), `${lines.join('\n')}\n`);
}, 300_000);

afterAll(() => forge?.close());

const byName = (rows: { name: string }[]) =>
  Object.fromEntries(rows.map((r) => [r.name, r])) as Record<string, any>;

describe('spine rollout', { timeout: 600_000 }, () => {
  it('previews what update would do in every repository, writing nothing anywhere', async () => {
    const result = await rollout('--json');
    expect(result.code, result.stderr).toBe(1); // ghost is unreachable
    const report = JSON.parse(result.stdout);
    const rows = byName(report.rows);
    for (const name of CLEAN)
      expect([name, rows[name].state, rows[name].from, rows[name].to]).toEqual([
        name,
        'clean',
        '1.0.0',
        '1.1.0',
      ]);
    expect(rows.risky).toMatchObject({ state: 'conflicts', conflicts: [SKILL] });
    expect(rows.current.state).toBe('current');
    expect(rows.web.state).toBe('not-onboarded');
    expect(rows.legacy.state).toBe('archived');
    expect(rows.ghost.state).toBe('unreachable');
    expect(report.duplicates).toEqual([
      expect.objectContaining({ origin: 'repos.txt:33', first: 'repos.txt:3' }),
    ]);
    for (const name of [...CLEAN, 'risky']) expect(branches(name)).toEqual(['main']);
    expect(forge.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    const human = await rollout();
    expect(human.stdout).toMatch(/payments\s+v1\.0\.0 → v1\.1\.0\s+clean update/);
    expect(human.stdout).toMatch(
      /risky\s+v1\.0\.0 → v1\.1\.0\s+update with conflicts\s+conflicts: \.claude\/skills/,
    );
    expect(human.stdout).toContain('repos.txt:33: file://');
    expect(human.stdout).toContain('Run again with --publish');
  });

  it('refuses to publish without a token the forge accepts: one line, exit 2, nothing pushed', async () => {
    const result = await runCli(['rollout', '--from-file', 'repos.txt', '--publish'], {
      cwd: root,
      env: { ...env(), GITHUB_TOKEN: 'ghp_wrong' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/nothing was published: github:acme\/\w+: GitHub refused .*401/);
    for (const name of CLEAN) expect(branches(name)).toEqual(['main']);
  });

  it('publishes one request per repository, waits out rate limits, and never opens a second', async () => {
    forge.state.limitNext.push({ status: 403, retryAfter: 1 }, { status: 429, retryAfter: 1 });
    const first = await rollout('--publish', '--json', '--concurrency', '3');
    expect(forge.state.limitNext).toEqual([]);
    const rows = byName(JSON.parse(first.stdout).rows);
    for (const name of [...CLEAN, 'risky']) {
      expect(rows[name].publish.published, name).toMatchObject({ branch: BRANCH, push: 'created' });
      expect(pullsOf(name)).toHaveLength(1);
      expect(pullsOf(name)[0]).toMatchObject({
        head: `acme:${BRANCH}`,
        base: 'main',
        title: 'spine: update to v1.1.0',
        draft: name === 'risky',
        reviewers: [`champ-${name}`],
      });
      expect(branches(name).sort()).toEqual(['main', BRANCH]);
      const bare = join(root, 'remotes', `${name}.git`);
      expect(JSON.parse(git(bare, 'show', `${BRANCH}:.spine/lock.json`)).spine.version).toBe('1.1.0');
      expect(JSON.parse(git(bare, 'show', 'main:.spine/lock.json')).spine.version).toBe('1.0.0');
    }
    for (const name of ['current', 'web', 'legacy']) expect(pullsOf(name)).toEqual([]);
    // The draft carries the markers and what `spine resolve` needs, and says how to settle it.
    const risky = join(root, 'remotes', 'risky.git');
    expect(git(risky, 'show', `${BRANCH}:${SKILL}`)).toContain('<<<<<<<');
    expect(git(risky, 'ls-tree', '-r', '--name-only', BRANCH)).toContain('.spine/update/journal.json');
    expect(pullsOf('risky')[0]!.body).toContain('spine update --continue');
    expect(pullsOf('payments')[0]!.body).toContain('review-change gains a closing line');

    const again = await rollout('--publish', '--json');
    const rerun = byName(JSON.parse(again.stdout).rows);
    for (const name of [...CLEAN, 'risky']) {
      expect(pullsOf(name)).toHaveLength(1);
      expect(rerun[name].publish.published).toMatchObject({ push: 'unchanged', review: { created: false } });
    }
  });

  it('status: done, open, conflicted, declined; a closed request is left alone', async () => {
    // Two requests merged on the first of the month, one closed without merging.
    for (const name of ['payments', 'search']) {
      const bare = join(root, 'remotes', `${name}.git`);
      git(bare, 'update-ref', 'refs/heads/main', `refs/heads/${BRANCH}`);
      Object.assign(pullsOf(name)[0]!, { state: 'closed', merged_at: '2026-12-01T10:00:00Z' });
    }
    Object.assign(pullsOf('billing')[0]!, { state: 'closed' });

    const result = await runCli(['rollout', 'status', '--from-file', 'repos.txt', '--json'], {
      cwd: root,
      env: env(),
    });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    const rows = byName(report.rows);
    expect(report.to).toBe('1.1.0');
    expect([rows.payments.status, rows.payments.doneAt]).toEqual(['done', '2026-12-01']);
    expect(rows.search.status).toBe('done');
    expect(rows.current.status).toBe('done');
    expect(rows.billing.status).toBe('declined');
    expect(rows.ledger.status).toBe('open');
    expect(rows.risky.status).toBe('conflicted');
    expect([rows.web.status, rows.legacy.status, rows.ghost.status]).toEqual([
      'not-onboarded',
      'archived',
      'unreachable',
    ]);
    expect(report.counts).toMatchObject({ done: 3, open: 22, conflicted: 1, declined: 1 });
    expect(report.burndown[0]).toMatchObject({ date: '2026-12-01', done: 2 });

    // The release page: the burndown and every repository, readable on a phone.
    const page = await runCli(['rollout', 'status', '--from-file', 'repos.txt', '--html', 'release.html'], {
      cwd: root,
      env: env(),
    });
    expect(page.stdout).toContain('HTML page: release.html');
    if (existsSync(CHROMIUM)) await checkReleasePage(join(root, 'release.html'), report.burndown.length);

    const republish = await rollout('--publish', '--json');
    const rerun = byName(JSON.parse(republish.stdout).rows);
    expect(rerun.billing.publish.declined).toContain('/acme/billing/pull/1');
    expect(pullsOf('billing')).toHaveLength(1);
    expect(rerun.payments.state).toBe('current');
  });

  it('--onboard: previews and opens one onboarding request where a repository has no spine', async () => {
    const preview = await rollout('--onboard', '--spine', spine, '--json');
    const rows = byName(JSON.parse(preview.stdout).rows);
    expect(rows.web).toMatchObject({ state: 'not-onboarded', onboard: { version: '1.1.0' } });
    expect(rows.web.onboard.files).toBeGreaterThan(5);
    expect(branches('web')).toEqual(['main']);
    const human = await rollout('--onboard', '--spine', spine);
    expect(human.stdout).toMatch(
      /web\s+→ v1\.1\.0\s+not onboarded: onboarding request\s+would onboard: \d+ file/,
    );

    const first = await rollout('--onboard', '--spine', spine, '--publish', '--json');
    const published = byName(JSON.parse(first.stdout).rows);
    expect(published.web.publish.published).toMatchObject({
      branch: 'spine/onboard-v1.1.0',
      push: 'created',
    });
    expect(pullsOf('web')).toHaveLength(1);
    expect(pullsOf('web')[0]).toMatchObject({
      title: 'spine: onboard to v1.1.0',
      draft: false,
      reviewers: [],
    });
    expect(pullsOf('web')[0]!.body).toContain('name the champion');
    const bare = join(root, 'remotes', 'web.git');
    expect(JSON.parse(git(bare, 'show', 'spine/onboard-v1.1.0:.spine/lock.json')).spine.version).toBe(
      '1.1.0',
    );
    expect(git(bare, 'show', 'spine/onboard-v1.1.0:.spine/local.yaml')).toContain('team: "web"');
    expect(git(bare, 'ls-tree', '--name-only', 'main')).not.toContain('.spine');

    const again = await rollout('--onboard', '--spine', spine, '--publish', '--json');
    expect(byName(JSON.parse(again.stdout).rows).web.publish.published).toMatchObject({
      push: 'unchanged',
      review: { created: false },
    });
    expect(pullsOf('web')).toHaveLength(1);

    const noSpine = await rollout('--onboard');
    expect([noSpine.code, noSpine.stderr]).toEqual([2, expect.stringMatching(/--onboard needs --spine/)]);
    const noOnboard = await rollout('--spine', spine);
    expect([noOnboard.code, noOnboard.stderr]).toEqual([
      2,
      expect.stringMatching(/--spine goes with --onboard/),
    ]);
  });

  it('takes the repositories of a forge organisation, filtered by name, topic and custom property', async () => {
    const byGlob = await runCli(['rollout', '--org', 'github:acme', '--match', 'pay*', 'check*', '--json'], {
      cwd: root,
      env: env(),
    });
    expect(byGlob.code, byGlob.stderr).toBe(0);
    expect(JSON.parse(byGlob.stdout).rows.map((r: { name: string }) => r.name)).toEqual([
      'checkout',
      'payments',
    ]);
    const byTopic = await runCli(
      ['rollout', '--org', 'github:acme', '--topic', 'payments-domain', '--json'],
      {
        cwd: root,
        env: env(),
      },
    );
    expect(JSON.parse(byTopic.stdout).rows.map((r: { name: string }) => r.name)).toEqual(['ledger']);
    // GitHub custom properties: every one given must hold (a multi-select holds when it includes it).
    const byProperty = await runCli(
      ['rollout', '--org', 'github:acme', '--property', 'owners=finance', 'tier=gold', '--json'],
      { cwd: root, env: env() },
    );
    expect(byProperty.code, byProperty.stderr).toBe(0);
    expect(JSON.parse(byProperty.stdout).rows.map((r: { name: string }) => r.name)).toEqual(['ledger']);
    const malformed = await runCli(['rollout', '--org', 'github:acme', '--property', 'tier'], {
      cwd: root,
      env: env(),
    });
    expect([malformed.code, malformed.stderr]).toEqual([
      2,
      'spine: --property takes name=value, not "tier"\n',
    ]);
    const unknown = await runCli(['rollout', '--org', 'github:nobody'], { cwd: root, env: env() });
    expect([unknown.code, unknown.stderr]).toEqual([
      2,
      expect.stringMatching(/^spine: github:nobody: GitHub refused to list .*404/),
    ]);
  });

  it('bad lists: no repositories, an unreadable file, a malformed line', async () => {
    const none = await runCli(['rollout'], { cwd: root, env: env() });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/^spine: name the repositories/)]);
    const missing = await runCli(['rollout', '--from-file', 'nope.txt'], { cwd: root, env: env() });
    expect([missing.code, missing.stderr]).toEqual([
      2,
      'spine: nope.txt: cannot read the repository list: ENOENT\n',
    ]);
    writeFileSync(join(root, 'bad.txt'), 'a b c\nrepo notaforge\n');
    const bad = await runCli(['rollout', '--from-file', 'bad.txt', '--json'], { cwd: root, env: env() });
    expect(JSON.parse(bad.stdout).invalid.map((i: { origin: string }) => i.origin)).toEqual([
      'bad.txt:1',
      'bad.txt:2',
    ]);
  });
});
