import type { LagBucket, Report } from '../../core/report/report-model.js';
import { heatmap, lineChart, stackedBars } from './charts.js';
import { esc, fmt, pct, table } from './escape.js';
import { STYLES } from './styles.js';

const BUCKETS: LagBucket[] = ['0', '1', '2', '3+'];

/** One self-contained page: inline CSS and SVG, no script, no network at view time. */
export function renderReportHtml(report: Report): string {
  const t = report.totals;
  const cards = [
    ['repos', t.repos],
    ['teams', t.teams],
    ['on latest release', pct(report.lag.shareOnLatest)],
    ['clean (doctor)', pct(report.drift.cleanShare)],
    ['near-misses / 1,000 calls', fmt(t.nearMissRate, 2)],
    ['near-miss trend', report.nearMisses.org.trend.verdict],
    ['cross-team skill reuse', pct(t.crossTeamReuseShare)],
    ['repos with activity data', `${report.coverage.reposWithActivity} / ${report.coverage.repos}`],
  ]
    .map(([k, v]) => `<div class="card"><span class="muted">${esc(k)}</span><b>${esc(v)}</b></div>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>spine report ${esc(report.asOf)}</title><style>${STYLES}</style></head>
<body>
<h1>spine report</h1>
<p class="muted">As of ${esc(report.asOf)} · generated ${esc(report.generatedAt)} · releases ${report.releases.source === 'spine-tags' ? 'from the spine’s tags' : 'inferred from versions seen in the facts'}${report.since ? ` · activity since ${esc(report.since)}` : ''}</p>
<div class="cards">${cards}</div>
${paritySection(report)}
${skillsSection(report)}
${nearMissSection(report)}
${lagSection(report)}
${driftSection(report)}
${reposSection(report)}
<h2>Coverage</h2>
<ul>${report.coverage.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
</body></html>
`;
}

function figure(id: string, caption: string, chart: string, tableHtml: string, legend = ''): string {
  return `<figure data-chart="${id}"><figcaption>${esc(caption)}</figcaption>${legend}${chart}<div class="table-wrap">${tableHtml}</div></figure>`;
}

function legendOf(names: string[]): string {
  return `<p class="legend">${names.map((n, i) => `<span><i class="s${i % 8}"></i>${esc(n)}</span>`).join('')}</p>`;
}

function paritySection(r: Report): string {
  const teams = r.parity.teams.filter((p) => p.series.length);
  const chart = lineChart(
    'Throughput relative to each team’s pre-spine baseline, aligned to t0',
    teams.map((p) => ({ name: p.team, points: p.series.map((s) => ({ x: s.k, y: s.value })) })),
    {
      xLabel: (v) => `w${v}`,
      refs:
        r.parity.pioneerLevel === null
          ? []
          : [{ y: r.parity.pioneerLevel, label: `pioneer ${r.parity.pioneer}`, className: 'level' }],
    },
  );
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
<p class="muted">Commits per active contributor, relative to the team’s median over the 8 weeks before t0; week 0 holds t0. Weeks with fewer than 5 active contributors are suppressed (S) and drawn as gaps.</p>
${figure('cohort', 'Cohort lines aligned to t0', chart, table('Parity by team', ['team', 't0', 'baseline', 'parity', 'relative throughput by week'], rows), legendOf(teams.map((p) => p.team)))}`;
}

function skillsSection(r: Report): string {
  const teams = [...new Set(r.skills.flatMap((s) => Object.keys(s.usesByTeam)))].sort();
  const names = r.skills.map((s) => s.name);
  const chart = heatmap(
    'Skill uses by team',
    names,
    teams,
    (skill, team) => r.skills.find((s) => s.name === skill)?.usesByTeam[team],
  );
  const grid = r.skills.map((s) => [
    s.name,
    ...teams.map((team) =>
      team in s.usesByTeam ? (s.usesByTeam[team] === null ? 'suppressed' : String(s.usesByTeam[team])) : '–',
    ),
  ]);
  const reach = r.skills.map((s) => [
    s.name,
    s.installedIn.length,
    s.usedIn.length,
    s.uses,
    pct(s.reuseShare),
    s.contributedBy,
    s.dead ? 'dead' : '',
  ]);
  const candidates = r.contributeBackCandidates.length
    ? `<p>Contribute-back candidates (local skills that look alike in several teams):</p><ul>${r.contributeBackCandidates.map((c) => `<li>${esc(c.skills.join(', '))} — ${esc(c.teams.join(', '))}</li>`).join('')}</ul>`
    : '';
  return `<h2>Skill reach, activation and reuse</h2>
${figure('heatmap', 'Skill × team heatmap (uses; hatched = suppressed)', chart, table('Uses by skill and team', ['skill', ...teams], grid))}
${table('Reach and activation (teams; used = in the 28 days before the facts)', ['skill', 'installed', 'used', 'uses', 'cross-team', 'contributed by', ''], reach)}
${candidates}`;
}

function nearMissSection(r: Report): string {
  const weeks = r.nearMisses.org.weeks;
  const x = (i: number) => ({ x: i });
  const chart = lineChart(
    'Near-misses per 1,000 tool calls by week, with u-chart control limits',
    [{ name: 'rate', points: weeks.map((w, i) => ({ ...x(i), y: w.rate })) }],
    {
      xLabel: (v) => weeks[Math.round(v)]?.week.slice(5) ?? '',
      bands: [
        { name: 'upper', className: 'limit', points: weeks.map((w, i) => ({ ...x(i), y: w.upper })) },
        { name: 'lower', className: 'limit', points: weeks.map((w, i) => ({ ...x(i), y: w.lower })) },
        { name: 'center', className: 'center', points: weeks.map((w, i) => ({ ...x(i), y: w.center })) },
      ],
    },
  );
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
  const rules = r.nearMisses.rules.map((x) => [x.rule, x.hits, x.teams, x.sessions, x.repeats, x.hint ?? '']);
  return `<h2>Near-misses</h2>
<p>Trend as usage grows: <b class="verdict-${esc(tr.verdict)}">${esc(tr.verdict)}</b> — Theil–Sen slope ${fmt(tr.slope, 3)} per 1,000 calls per 1,000 cumulative calls (95% interval ${fmt(tr.low, 3)} … ${fmt(tr.high, 3)}, ${tr.points} weeks).</p>
${figure('near-miss', 'Near-miss trend with control limits', chart, table('Near-misses by week (org)', ['week', 'sessions', 'tool calls', 'near-misses', 'rate', 'lower limit', 'upper limit'], rows))}
${table('Trend by team', ['team', 'weeks', 'slope', '95% interval', 'verdict'], teamRows)}
${table('Rules', ['rule', 'hits', 'teams', 'sessions', 'repeats', 'hint'], rules)}`;
}

function lagSection(r: Report): string {
  const over = r.lag.bucketsOverTime;
  const chart = stackedBars(
    'Repos by releases behind, per week',
    over.map((w) => ({ label: w.week.slice(5), values: BUCKETS.map((b) => w.buckets[b]) })),
    BUCKETS.map((b) => `${b} behind`),
  );
  const rows = over.map((w) => [w.week, ...BUCKETS.map((b) => w.buckets[b])]);
  const uptake = r.lag.uptake.map((u) => [
    u.version,
    u.date ?? '–',
    u.repos,
    pct(u.share),
    fmt(u.medianDaysToAdopt, 0),
  ]);
  return `<h2>Version lag</h2>
${figure('lag', 'Lag buckets over time', chart, table('Repos per lag bucket by week', ['week', ...BUCKETS.map((b) => `${b} behind`)], rows), legendOf(BUCKETS.map((b) => `${b} behind`)))}
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
  const rows = r.repos.map((x) => [
    x.path,
    x.team,
    x.version ?? '–',
    x.lagReleases ?? '–',
    x.lagDays ?? '–',
    x.clean === null ? '–' : x.clean ? 'yes' : 'no',
    x.hasActivity ? x.sessions : 'no data',
    x.toolCalls,
    x.nearMissRate === null ? (x.hasActivity ? 'suppressed' : '–') : fmt(x.nearMissRate, 2),
    x.error ?? '',
  ]);
  return `<h2>Repos</h2>${table('Per repo', ['repo', 'team', 'version', 'releases behind', 'days behind', 'clean', 'sessions', 'tool calls', 'near-misses / 1,000', 'error'], rows)}`;
}
