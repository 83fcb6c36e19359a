import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditDay, createTeamRepo, mondays, weeklyCommits } from '../helpers/fleet.js';
import { git, gitdir, snapshot, tempDir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

// "Now" for every facts document: Monday 2030-03-25, 12:00 UTC.
const NOW = { SOURCE_DATE_EPOCH: String(Date.parse('2030-03-25T12:00:00Z') / 1000) };

/** A spine repo with three release tags at known dates. */
function spineWithReleases(): string {
  const dir = gitdir();
  for (const [tag, date] of [
    ['v1.0.0', '2030-01-07'],
    ['v1.1.0', '2030-02-04'],
    ['v1.2.0', '2030-03-04'],
  ] as const) {
    writeFileSync(join(dir, 'spine.yaml'), `version: ${tag}\n`);
    git(dir, 'add', '-A');
    execAt(dir, date, 'commit', '-q', '-m', tag);
    git(dir, 'tag', tag);
  }
  return dir;
}

function execAt(dir: string, date: string, ...args: string[]): void {
  process.env.GIT_COMMITTER_DATE = `${date}T12:00:00Z`;
  try {
    git(dir, ...args);
  } finally {
    delete process.env.GIT_COMMITTER_DATE;
  }
}

const ACTIVITY_WEEKS = ['2030-02-25', '2030-03-04', '2030-03-11', '2030-03-18'];

function buildFleet(root: string) {
  const shared = [{ name: 'review-change', contributedBy: 'alpha' }, { name: 'handle-secrets' }];
  // alpha, the pioneer: 1 commit per person per week before t0 (2030-01-07), 2 after → relative 2.0.
  createTeamRepo(join(root, 'alpha'), {
    team: 'alpha',
    commits: [
      ...weeklyCommits(mondays('2029-11-12', '2029-12-31'), 5, 1),
      ...weeklyCommits(mondays('2030-01-07', '2030-03-18'), 5, 2),
    ],
    lock: [
      { date: '2030-01-07', version: '1.0.0' },
      { date: '2030-03-04', version: '1.2.0' },
    ],
    sharedSkills: shared,
    audit: Object.fromEntries(
      ACTIVITY_WEEKS.map((week, i) => {
        const day = `${week.slice(0, 8)}${String(Number(week.slice(8)) + 1).padStart(2, '0')}`;
        // Rates 20, 15, 10, 5 per 1,000 calls: secret-dotenv once per session, git-push-ask all in one session.
        return [
          day,
          auditDay({
            day,
            sessions: 5,
            toolCalls: 1000,
            nearMisses: { 'secret-dotenv': 5, 'git-push-ask': 15 - 5 * i },
            sameSession: ['git-push-ask'],
            skillTool: i === 3 ? { 'review-change': 4 } : {},
          }),
        ];
      }),
    ),
  });
  // beta: parity in aligned week 2; on 1.1.0, one release behind.
  createTeamRepo(join(root, 'beta'), {
    team: 'beta',
    commits: [
      ...weeklyCommits(mondays('2029-12-10', '2030-02-11'), 5, 1),
      ...weeklyCommits(mondays('2030-02-18', '2030-03-18'), 5, 2),
    ],
    lock: [{ date: '2030-02-04', version: '1.1.0' }],
    sharedSkills: shared,
    localSkills: [
      { name: 'deploy-checklist', description: 'Checklist for a production deploy with rollback.' },
    ],
    audit: {
      '2030-03-20': auditDay({ day: '2030-03-20', sessions: 6, toolCalls: 0, slash: { 'review-change': 6 } }),
    },
  });
  // gamma: never reaches parity (censored); on 1.0.0, two releases behind; only 3 sessions.
  createTeamRepo(join(root, 'gamma'), {
    team: 'gamma',
    commits: weeklyCommits(mondays('2029-12-24', '2030-03-18'), 5, 1),
    lock: [{ date: '2030-02-18', version: '1.0.0' }],
    sharedSkills: shared,
    localSkills: [{ name: 'Deploy-Checklists', description: 'How we ship.' }],
    audit: { '2030-03-21': auditDay({ day: '2030-03-21', sessions: 3, toolCalls: 0, slash: { clear: 2 } }) },
  });
  // delta: 3 contributors (throughput suppressed); 4 sessions of activity (rate suppressed).
  createTeamRepo(join(root, 'delta'), {
    team: 'delta',
    commits: weeklyCommits(mondays('2029-12-10', '2030-03-18'), 3, 1),
    lock: [
      { date: '2030-02-11', version: '1.1.0' },
      { date: '2030-03-11', version: '1.2.0' },
    ],
    sharedSkills: [shared[0]!],
    audit: {
      '2030-02-19': auditDay({
        day: '2030-02-19',
        sessions: 4,
        toolCalls: 100,
        nearMisses: { 'secret-dotenv': 2 },
      }),
    },
  });
}

describe('spine report over team repos with known histories', () => {
  let root: string;
  let spine: string;
  let report: any;

  beforeAll(async () => {
    root = tempDir('spine-report-');
    spine = spineWithReleases();
    buildFleet(root);
    const result = await runCli(
      [
        'report',
        'alpha',
        'beta',
        'gamma',
        'delta',
        '--no-doctor',
        '--spine',
        spine,
        '--pioneer',
        'alpha',
        '--json',
      ],
      { cwd: root, env: NOW },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    report = JSON.parse(result.stdout);
  });

  const repo = (team: string) => report.repos.find((r: { team: string }) => r.team === team);

  it('measures version lag against the spine tags', () => {
    expect(report.reportVersion).toBe(1);
    expect(report.releases.source).toBe('spine-tags');
    expect(report.releases.latest).toBe('1.2.0');
    expect([repo('alpha').lagReleases, repo('alpha').lagDays]).toEqual([0, 0]);
    expect([repo('beta').lagReleases, repo('beta').lagDays]).toEqual([1, 21]); // 2030-03-04 → 03-25
    expect([repo('gamma').lagReleases, repo('gamma').lagDays]).toEqual([2, 49]); // 2030-02-04 → 03-25
    expect([repo('delta').lagReleases, repo('delta').lagDays]).toEqual([0, 0]);
    expect(report.lag.shareOnLatest).toBe(0.5);
    expect(report.lag.uptake).toEqual([
      // adopted after 0 (alpha), 28 (beta), 35 (delta), 42 (gamma) days → median 31.5
      { version: '1.0.0', date: '2030-01-07', repos: 4, share: 1, medianDaysToAdopt: 31.5 },
      { version: '1.1.0', date: '2030-02-04', repos: 3, share: 0.75, medianDaysToAdopt: 7 },
      { version: '1.2.0', date: '2030-03-04', repos: 2, share: 0.5, medianDaysToAdopt: 3.5 },
    ]);
    const at = (week: string) =>
      report.lag.bucketsOverTime.find((w: { week: string }) => w.week === week).buckets;
    expect(at('2030-02-04')).toEqual({ '0': 1, '1': 1, '2': 0, '3+': 0 });
    expect(at('2030-03-18')).toEqual({ '0': 2, '1': 1, '2': 1, '3+': 0 });
  });

  it('counts reach, activation, dead skills, reuse and contribute-back candidates', () => {
    const review = report.skills.find((s: { name: string }) => s.name === 'review-change');
    expect(review).toMatchObject({
      installedIn: ['alpha', 'beta', 'delta', 'gamma'],
      usedIn: ['alpha', 'beta'],
      contributedBy: 'alpha',
      uses: 10,
      crossTeamUses: 6,
      reuseShare: 0.6,
      dead: false,
    });
    // gamma and delta had fewer than 5 recent sessions: their cells are suppressed, not zero.
    expect(review.usesByTeam).toEqual({ alpha: 4, beta: 6, gamma: null, delta: null });
    const secrets = report.skills.find((s: { name: string }) => s.name === 'handle-secrets');
    // Installed in 3 repos and never used, but the activity data reaches back only 34 days: too
    // soon to call it dead after 60 (the 12-team fleet of report-first-screen has a dead one).
    expect(secrets).toMatchObject({ installedRepos: 3, usedIn: [], dead: false, contributedBy: 'platform' });
    // A platform skill is not "reused" by anyone: it gets reach and activation instead.
    expect(secrets).toMatchObject({ reuseShare: null, reach: 0.75, activation: 0 });
    expect(review).toMatchObject({ reach: 1, activation: 0.5 });
    expect(report.contributeBackCandidates).toEqual([
      { teams: ['beta', 'gamma'], skills: ['Deploy-Checklists', 'deploy-checklist'] },
    ]);
    expect(repo('beta').skillsUsed).toEqual(['review-change']);
    expect(repo('gamma').skillsUsed).toEqual([]); // /clear is Claude Code's, not a skill
    expect(report.totals).toMatchObject({
      crossTeamReuseShare: 0.6,
      platformReach: 0.75,
      platformActivation: 0,
    });
  });

  it('computes near-miss rates, suppresses thin cells and gives a falling verdict', () => {
    expect(repo('alpha')).toMatchObject({
      toolCalls: 4000,
      nearMisses: 50,
      nearMissRate: 12.5,
      sessions: 20,
    });
    expect(repo('delta')).toMatchObject({ toolCalls: 100, nearMisses: 2, sessions: 4, nearMissRate: null });
    const weeks = report.nearMisses.org.weeks;
    expect(weeks.map((w: { week: string }) => w.week)).toEqual(['2030-02-18', ...ACTIVITY_WEEKS]);
    expect(weeks[0]).toMatchObject({ suppressed: true, rate: null, sessions: 4 });
    expect(weeks.slice(1).map((w: { rate: number }) => w.rate)).toEqual([20, 15, 10, 5]);
    expect(weeks.slice(1).map((w: { cumulativeToolCalls: number }) => w.cumulativeToolCalls)).toEqual([
      1100, 2100, 3100, 4100,
    ]);
    expect(weeks[1].center).toBe(12.5);
    expect(weeks[1].upper).toBeCloseTo(12.5 + 3 * Math.sqrt(12.5), 6);
    const trend = report.nearMisses.org.trend;
    expect(trend).toMatchObject({ points: 4, verdict: 'falling' });
    for (const v of [trend.slope, trend.low, trend.high]) expect(v).toBeCloseTo(-5, 9);
    const team = (name: string) => report.nearMisses.teams.find((t: { team: string }) => t.team === name);
    expect(team('alpha').trend.verdict).toBe('falling');
    expect(team('delta').trend.verdict).toBe('insufficient-data');
    expect(report.nearMisses.rules).toEqual([
      {
        rule: 'git-push-ask',
        hits: 30,
        teams: 1,
        sessions: 3,
        repeats: 27,
        hint: expect.stringMatching(/^noisy/),
        lastHit: '2030-03-12',
      },
      // Fires in 2 of 4 teams: flagged as broad.
      {
        rule: 'secret-dotenv',
        hits: 22,
        teams: 2,
        sessions: 22,
        repeats: 0,
        hint: expect.stringMatching(/^broad/),
        lastHit: '2030-03-19',
      },
    ]);
  });

  it('finds the parity week, keeps censored teams and marks thin teams', () => {
    expect(report.parity.pioneer).toBe('alpha');
    expect(report.parity.pioneerLevel).toBe(2);
    const p = (team: string) => report.parity.teams.find((t: { team: string }) => t.team === team);
    expect(p('alpha').status).toBe('pioneer');
    expect(p('beta')).toMatchObject({ status: 'reached', week: 2, baseline: 1, t0: '2030-02-04' });
    expect(p('gamma')).toMatchObject({ status: 'not-yet', week: null, observedWeeks: 6 });
    expect(p('delta')).toMatchObject({ status: 'insufficient-data', baseline: null });
    expect(p('delta').series.every((s: { suppressed: boolean }) => s.suppressed)).toBe(true);
  });

  it('reports coverage honestly', () => {
    expect(report.coverage).toMatchObject({ repos: 4, reposWithActivity: 4, unreadable: 0 });
    expect(report.coverage.notes.join(' ')).toMatch(/fewer than 5 sessions/);
  });
});

describe('spine report over facts files', () => {
  function factsDoc(team: string, doctor: { error: number; warning: number }, finding?: [string, string]) {
    return {
      factsVersion: 1,
      generatedAt: '2030-03-25T12:00:00.000Z',
      tool: '0.1.0',
      repo: { name: `${team}-app`, remote: `https://git.example.com/${team}/app.git`, branch: 'main' },
      team,
      champion: null,
      spine: { name: 'default-spine', version: '1.0.0', source: 'embedded' },
      t0: '2030-01-07',
      lockHistory: [{ date: '2030-01-07', version: '1.0.0' }],
      doctor: {
        available: true,
        bySeverity: { ...doctor, info: 0 },
        byCode: finding ? { [finding[0]]: 1 } : {},
        findings: finding
          ? [{ code: finding[0], severity: doctor.error ? 'error' : 'warning', path: 'x', since: finding[1] }]
          : [],
      },
      git: { weeks: [] },
      skills: [],
      activity: null,
    };
  }

  it('computes the drift share and the oldest open finding; newest facts per repo win', async () => {
    const dir = tempDir('spine-facts-');
    const docs = [
      factsDoc('a', { error: 0, warning: 0 }),
      factsDoc('b', { error: 0, warning: 0 }),
      factsDoc('c', { error: 0, warning: 0 }),
      factsDoc('d', { error: 0, warning: 1 }, ['managed-file-edited', '2030-02-01']),
      factsDoc('e', { error: 1, warning: 0 }, ['locked-rule-missing', '2030-03-01']),
      factsDoc('f', { error: 1, warning: 0 }, ['secret-tracked', '2030-03-02']),
    ];
    for (const [i, d] of docs.entries()) writeFileSync(join(dir, `f${i}.json`), JSON.stringify(d));
    // An older document of repo a with drift: superseded by the newer one above.
    writeFileSync(
      join(dir, 'old.json'),
      JSON.stringify({ ...factsDoc('a', { error: 2, warning: 0 }), generatedAt: '2030-03-01T00:00:00.000Z' }),
    );
    const result = await runCli(['report', '--facts', dir, '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.repos).toHaveLength(6);
    expect(report.releases.source).toBe('facts');
    expect(report.drift.reposChecked).toBe(6);
    expect(report.drift.cleanShare).toBe(0.5);
    expect(report.drift.reposWithTrackedSecrets).toBe(1);
    expect(report.drift.oldestOpen).toEqual({
      repo: 'https://git.example.com/d/app.git',
      team: 'd',
      code: 'managed-file-edited',
      path: 'x',
      since: '2030-02-01',
    });
    expect(report.coverage.reposWithActivity).toBe(0);
    expect(report.totals.nearMissRate).toBeNull();
  });

  it('refuses an invalid facts file with its location, exit 2 and nothing written', async () => {
    const dir = tempDir('spine-facts-bad-');
    const doc = factsDoc('a', { error: 0, warning: 0 }) as any;
    doc.doctor.bySeverity.error = -1;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(doc, null, 2));
    const before = snapshot(dir);
    const result = await runCli(['report', '--facts', 'bad.json', '--html', 'out.html'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^spine: bad\.json:\d+:\d+: not a spine facts document: doctor\.bySeverity\.error/,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('needs something to report on', async () => {
    const dir = tempDir();
    const result = await runCli(['report'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/give team repos/);
  });
});

describe('spine report with doctor per repo', () => {
  it('shows a repo whose spine cannot be resolved as "doctor unavailable", its facts still counted', async () => {
    const root = tempDir('spine-report-doctor-');
    const commits = weeklyCommits(mondays('2030-01-07', '2030-03-18'), 5, 1);
    createTeamRepo(join(root, 'ok'), {
      team: 'ok',
      commits,
      lock: [{ date: '2030-01-07', version: '1.0.0' }],
    });
    createTeamRepo(join(root, 'lost'), {
      team: 'lost',
      commits,
      lock: [{ date: '2030-01-07', version: '1.0.0' }],
      source: 'github:example-org/spine-that-is-gone',
    });
    createTeamRepo(join(root, 'broken'), {
      team: 'broken',
      commits,
      lock: [{ date: '2030-01-07', version: '1.0.0' }],
    });
    writeFileSync(join(root, 'broken', '.spine', 'lock.json'), '{ "lockVersion": ');
    const result = await runCli(['report', 'ok', 'lost', 'broken', '--offline', '--json'], {
      cwd: root,
      env: { ...NOW, XDG_CACHE_HOME: join(root, 'cache') },
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const row = (path: string) => report.repos.find((r: { path: string }) => r.path === path);
    // Input order, whatever worker finished first.
    expect(report.repos.map((r: { path: string }) => r.path)).toEqual(['ok', 'lost', 'broken']);
    expect(row('ok').clean).not.toBeNull();
    expect(row('ok').doctorUnavailable).toBeUndefined();
    expect(row('lost')).toMatchObject({ team: 'lost', version: '1.0.0', t0: '2030-01-07', clean: null });
    expect(row('lost').doctorUnavailable).toMatch(/spine-that-is-gone|offline|cache/i);
    expect(row('lost').error).toBeUndefined();
    expect(row('broken').error).toMatch(/lock\.json/);
    expect(report.drift.reposChecked).toBe(1);
    expect(report.coverage.unreadable).toBe(1);
    expect(report.coverage.notes.join('\n')).toMatch(/1 repo\(s\): doctor unavailable/);

    // Facts collected elsewhere carry the reason with them.
    const env = { ...NOW, XDG_CACHE_HOME: join(root, 'cache') };
    const facts = await runCli(['facts', '--json', '--offline'], { cwd: join(root, 'lost'), env });
    expect(facts.code).toBe(0);
    const doc = JSON.parse(facts.stdout);
    expect(doc.doctor).toMatchObject({
      available: false,
      unavailableReason: expect.stringMatching(/spine-that-is-gone|offline|cache/i),
    });
    writeFileSync(join(root, 'lost.facts.json'), facts.stdout);
    const fromFacts = await runCli(['report', '--facts', 'lost.facts.json', '--json'], { cwd: root, env });
    expect(fromFacts.code, fromFacts.stderr).toBe(0);
    expect(JSON.parse(fromFacts.stdout).repos[0].doctorUnavailable).toBe(doc.doctor.unavailableReason);
  });
});
