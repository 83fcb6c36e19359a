import type { LagBucket, Report } from '../../core/report/report-model.js';
import { legend } from './axes.js';
import { heatLegendSteps, heatmap, lineChart, stackedBars } from './charts.js';
import { esc, fmt, pct, table } from './escape.js';
import { evaluationSection } from './evaluation-section.js';
import { firstScreen } from './first-screen.js';
import { STYLES } from './styles.js';

const BUCKETS: LagBucket[] = ['0', '1', '2', '3+'];

/** One self-contained page: inline CSS and SVG, no script, no network at view time. */
export function renderReportHtml(report: Report): string {
  const t = report.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>spine report ${esc(report.asOf)}</title><style>${STYLES}</style></head>
<body>
<h1>spine report</h1>
<p class="muted">As of ${esc(report.asOf)} · ${t.repos} repos, ${t.teams} teams · changes against the ${Math.round(report.thresholds.periodDays / 7)} weeks before the last ${Math.round(report.thresholds.periodDays / 7)} · releases ${report.releases.source === 'spine-tags' ? 'from the spine’s tags' : 'inferred from versions seen in the facts'}${report.since ? ` · activity since ${esc(report.since)}` : ''}</p>
${firstScreen(report)}
${paritySection(report)}
${skillsSection(report)}
${nearMissSection(report)}
${evaluationSection(report)}
${lagSection(report)}
${driftSection(report)}
${reposSection(report)}
<h2>Coverage</h2>
<p>${report.coverage.reposWithActivity} of ${report.coverage.repos} repos had activity data · generated ${esc(report.generatedAt)}</p>
<ul>${report.coverage.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</body></html>
`;
}

function figure(id: string, caption: string, legendHtml: string, chart: string, tableHtml = ''): string {
  return `<figure data-chart="${id}"><figcaption>${esc(caption)}</figcaption>${legendHtml}<div class="chart-wrap">${chart}</div>${tableHtml}</figure>`;
}

function paritySection(r: Report): string {
  const teams = r.parity.teams.filter((p) => p.series.length);
  const level = r.parity.pioneerLevel;
  const yMax = Math.max(level ?? 0, ...teams.flatMap((p) => p.series.map((s) => s.value ?? 0)));
  const xMax = Math.max(1, ...teams.map((p) => p.series.length - 1));
  const panels = teams
    .map((p) => {
      const status =
        p.status === 'pioneer'
          ? 'pioneer'
          : p.status === 'reached'
            ? `at the level in week ${p.week}`
            : p.status === 'not-yet'
              ? `not yet, ${p.observedWeeks - 1} weeks in`
              : 'no baseline';
      const chart = lineChart(
        [
          {
            name: p.team,
            className: p.status === 'pioneer' ? 's1' : 's0',
            points: p.series.map((s) => ({ x: s.k, y: s.value })),
          },
        ],
        {
          title: `${p.team}: throughput relative to its baseline`,
          xTitle: 'weeks since t0',
          yTitle: '× baseline',
          xMax,
          yMax,
          small: true,
          refs:
            level === null ? [] : [{ y: level, label: `pioneer level ${fmt(level, 2)}`, className: 'level' }],
        },
      );
      return `<figure data-panel="${esc(p.team)}"><figcaption><b>${esc(p.team)}</b> — ${esc(status)}</figcaption>${chart}</figure>`;
    })
    .join('');
  const keys = legend([
    { label: 'team’s weekly throughput', className: 's0', mark: 'line' },
    { label: `pioneer (${r.parity.pioneer ?? '–'})`, className: 's1', mark: 'line' },
    ...(level === null
      ? []
      : [{ label: `pioneer’s level (${fmt(level, 2)}×)`, className: 'level', mark: 'dash' as const }]),
  ]);
  const rows = r.parity.teams.map((p) => [
    p.team,
    p.t0 ?? '–',
    fmt(p.baseline, 2),
    p.status === 'reached'
      ? `week ${p.week}`
      : p.status === 'not-yet'
        ? `not yet (censored at week ${p.observedWeeks - 1})`
        : p.status,
    p.series.map((s) => (s.suppressed ? 'S' : fmt(s.value, 2))).join(' '),
  ]);
  return `<h2>Time to pioneer parity</h2>
<p class="muted">Commits per active contributor, relative to the team’s median over the 8 weeks before t0; week 0 holds t0. Parity: the first week a team reaches the pioneer’s level and holds it the next. Weeks with fewer than 5 active contributors are suppressed (S) and drawn as gaps.</p>
<figure data-chart="cohort"><figcaption>One panel per team, all on the same scales; the dashed line is the pioneer’s level</figcaption>${keys}<div class="multiples">${panels}</div>
${table('Parity by team', ['team', 't0', 'baseline', 'parity', 'relative throughput by week'], rows, { wrap: [4] })}</figure>`;
}

function skillsSection(r: Report): string {
  const teams = [...new Set(r.skills.flatMap((s) => Object.keys(s.usesByTeam)))].sort();
  const max = Math.max(1, ...r.skills.flatMap((s) => Object.values(s.usesByTeam).map((v) => v ?? 0)));
  const chart = heatmap(
    'Skill uses by team',
    r.skills.map((s) => s.name),
    teams,
    (skill, team) => r.skills.find((s) => s.name === skill)?.usesByTeam[team],
    { x: 'team', y: 'skill' },
  );
  const keys = legend([
    ...heatLegendSteps(max).map((s) => ({ label: s.label, className: s.className })),
    { label: 'suppressed (< 5 sessions)', className: 'suppressed' },
  ]);
  const grid = r.skills.map((s) => [
    s.name,
    ...teams.map((team) =>
      team in s.usesByTeam ? (s.usesByTeam[team] === null ? 'suppressed' : String(s.usesByTeam[team])) : '–',
    ),
  ]);
  const team = r.skills.filter((s) => s.contributedBy !== 'platform');
  const platform = r.skills.filter((s) => s.contributedBy === 'platform');
  const candidates = r.contributeBackCandidates.length
    ? `<p>Contribute-back candidates (local skills that look alike in several teams):</p><ul>${r.contributeBackCandidates.map((c) => `<li>${esc(c.skills.join(', '))} — ${esc(c.teams.join(', '))}</li>`).join('')}</ul>`
    : '';
  return `<h2>Skill reach, activation and reuse</h2>
<p><b>Cross-team reuse</b> counts the uses of a team-contributed skill by teams other than the one that contributed it, over all its uses: ${pct(r.totals.crossTeamReuseShare)} overall. Platform skills are the spine’s own: for them the question is <b>reach</b> (teams that installed it, of all teams; ${pct(r.totals.platformReach)} on average) and <b>activation</b> (installing teams that used it in 28 days; ${pct(r.totals.platformActivation)}).</p>
${figure('heatmap', 'Skill × team heatmap: uses in the data', keys, chart, table('Uses by skill and team', ['skill', ...teams], grid))}
${table(
  'Team-contributed skills: cross-team reuse',
  ['skill', 'contributed by', 'teams installed', 'teams used (28 d)', 'uses', 'by other teams', 'reuse', ''],
  team.map((s) => [
    s.name,
    s.contributedBy,
    s.installedIn.length,
    s.usedIn.length,
    s.uses,
    s.crossTeamUses,
    pct(s.reuseShare),
    s.dead ? 'dead' : '',
  ]),
)}
${table(
  'Platform skills: reach and activation',
  ['skill', 'teams installed', 'reach', 'teams used (28 d)', 'activation', 'uses', ''],
  platform.map((s) => [
    s.name,
    s.installedIn.length,
    pct(s.reach),
    s.usedIn.length,
    pct(s.activation),
    s.uses,
    s.dead ? 'dead' : '',
  ]),
)}
${candidates}`;
}

function nearMissSection(r: Report): string {
  const weeks = r.nearMisses.org.weeks;
  const at = (i: number) => i;
  const chart = lineChart(
    [
      {
        name: 'upper control limit',
        className: 'limit',
        dots: false,
        points: weeks.map((w, i) => ({ x: at(i), y: w.upper })),
      },
      {
        name: 'lower control limit',
        className: 'limit',
        dots: false,
        points: weeks.map((w, i) => ({ x: at(i), y: w.lower })),
      },
      {
        name: 'org mean',
        className: 'center',
        dots: false,
        points: weeks.map((w, i) => ({ x: at(i), y: w.center })),
      },
      { name: 'rate', className: 's0', points: weeks.map((w, i) => ({ x: at(i), y: w.rate })) },
    ],
    {
      title: 'Near-misses per 1,000 tool calls by week, with u-chart control limits',
      xTitle: 'week starting',
      yTitle: 'per 1,000 calls',
      xLabel: (v) => weeks[Math.round(v)]?.week.slice(5) ?? '',
    },
  );
  const keys = legend([
    { label: 'weekly rate (org)', className: 's0', mark: 'line' },
    { label: 'org mean', className: 'center', mark: 'line' },
    { label: 'control limits (mean ± 3σ for that week’s calls)', className: 'limit', mark: 'dash' },
  ]);
  const tr = r.nearMisses.org.trend;
  const rows = weeks.map((w) => [
    w.week,
    w.sessions,
    w.toolCalls,
    w.nearMisses,
    w.suppressed ? 'suppressed' : fmt(w.rate, 2),
    fmt(w.lower, 2),
    fmt(w.upper, 2),
  ]);
  const teamRows = r.nearMisses.teams.map((t) => [
    t.team,
    t.trend.points,
    fmt(t.trend.slope, 3),
    `${fmt(t.trend.low, 3)} … ${fmt(t.trend.high, 3)}`,
    t.trend.verdict,
  ]);
  const rules = r.nearMisses.rules.map((x) => [
    x.rule,
    x.hits,
    x.teams,
    x.sessions,
    x.repeats,
    x.lastHit ?? '–',
    x.hint ?? '',
  ]);
  return `<h2>Near-misses</h2>
<p>Trend as usage grows: <b class="verdict-${esc(tr.verdict)}">${esc(tr.verdict)}</b> — Theil–Sen slope ${fmt(tr.slope, 3)} per 1,000 calls per 1,000 cumulative calls (95% interval ${fmt(tr.low, 3)} … ${fmt(tr.high, 3)}, ${tr.points} weeks).</p>
${figure('near-miss', 'Near-miss rate with control limits', keys, chart, table('Near-misses by week (org)', ['week', 'sessions', 'tool calls', 'near-misses', 'rate', 'lower limit', 'upper limit'], rows))}
${table('Trend by team', ['team', 'weeks', 'slope', '95% interval', 'verdict'], teamRows)}
${table('Rules', ['rule', 'hits', 'teams', 'sessions', 'repeats', 'last hit', 'hint'], rules, { wrap: [6] })}`;
}

function lagSection(r: Report): string {
  const over = r.lag.bucketsOverTime;
  const names = BUCKETS.map((b) => `${b} behind`);
  const classes = BUCKETS.map((_, i) => `l${i}`);
  const chart = stackedBars(
    'Repos by releases behind, per week',
    over.map((w) => ({ label: w.week.slice(5), values: BUCKETS.map((b) => w.buckets[b]) })),
    names,
    classes,
    { x: 'week starting', y: 'repos' },
  );
  const keys = legend(names.map((label, i) => ({ label, className: classes[i]! })));
  const rows = over.map((w) => [w.week, ...BUCKETS.map((b) => w.buckets[b])]);
  const uptake = r.lag.uptake.map((u) => [
    u.version,
    u.date ?? '–',
    u.repos,
    pct(u.share),
    fmt(u.medianDaysToAdopt, 0),
  ]);
  return `<h2>Version lag</h2>
${figure('lag', 'Repos by releases behind, per week (darker is further behind)', keys, chart, table('Repos per lag bucket by week', ['week', ...names], rows))}
${table('Release uptake', ['release', 'date', 'repos on it or newer', 'share', 'median days to adopt'], uptake)}`;
}

function driftSection(r: Report): string {
  const o = r.drift.oldestOpen;
  return `<h2>Drift</h2>
<p>${pct(r.drift.cleanShare)} of ${r.drift.reposChecked} checked repos are clean (no doctor errors or warnings).${o ? ` Oldest open finding: ${esc(o.code)} in ${esc(o.repo)}${o.path ? ` (${esc(o.path)})` : ''}, since ${esc(o.since)}.` : ''}</p>
${table(
  'Findings by code and team',
  ['code', 'team', 'findings'],
  r.drift.byCodeTeam.map((x) => [x.code, x.team, x.count]),
)}`;
}

function reposSection(r: Report): string {
  // Worst first: locked guardrails removed, then errors, then lag.
  const repos = [...r.repos].sort(
    (a, b) =>
      b.lockedRemoved - a.lockedRemoved ||
      b.findings.error - a.findings.error ||
      (b.lagReleases ?? 0) - (a.lagReleases ?? 0) ||
      (a.path < b.path ? -1 : 1),
  );
  const rows = repos.map((x) => [
    x.path,
    x.team,
    x.lockedRemoved,
    x.findings.error,
    x.findings.warning,
    x.version ?? '–',
    x.lagReleases ?? '–',
    x.hasActivity ? x.sessions : 'no data',
    x.nearMissRate === null ? (x.hasActivity ? 'suppressed' : '–') : fmt(x.nearMissRate, 1),
    x.error ?? x.doctorUnavailable ?? '',
  ]);
  return `<h2>Repos</h2>${table(
    'Per repo, most urgent first',
    [
      'repo',
      'team',
      'locked removed',
      'errors',
      'warnings',
      'version',
      'releases behind',
      'sessions',
      'near-misses / 1,000',
      'note',
    ],
    rows,
    { wrap: [9] },
  )}`;
}
