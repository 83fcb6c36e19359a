import {
  type LagBucket,
  MIN_CONTRIBUTORS,
  MIN_SESSIONS,
  type Report,
} from '../../core/report/report-model.js';
import { legend } from './axes.js';
import { heatLegendSteps, heatmap, lineChart, stackedBars } from './charts.js';
import { esc, fmt, pct, table } from './escape.js';
import { evaluationSection } from './evaluation-section.js';
import { firstScreen } from './first-screen.js';
import { guardrailUseSection } from './guardrail-use-section.js';
import { howSection, needs } from './how-section.js';
import { reposSection } from './repos-section.js';
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
${guardrailUseSection(report)}
${lagSection(report)}
${driftSection(report)}
${reposSection(report)}
<h2>Coverage</h2>
<p>${report.coverage.reposWithActivity} of ${report.coverage.repos} repos had activity data · generated ${esc(report.generatedAt)}</p>
<ul>${report.coverage.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
${howSection(report)}
</body></html>
`;
}

function figure(id: string, caption: string, legendHtml: string, chart: string, tableHtml = ''): string {
  return `<figure data-chart="${id}"><figcaption>${esc(caption)}</figcaption>${legendHtml}<div class="chart-wrap">${chart}</div>${tableHtml}</figure>`;
}

function paritySection(r: Report): string {
  const title = '<h2>Time to the pioneer’s level</h2>';
  const teams = r.parity.teams.filter((p) => p.series.some((s) => s.value !== null));
  const without = r.parity.teams.filter((p) => !teams.includes(p)).map((p) => p.team);
  if (!teams.length)
    return `${title}
${needs('parity', `Needs git history from before each team onboarded: weeks with ${MIN_CONTRIBUTORS} or more people committing, to compare a team with its own past and with the pioneer (${r.parity.pioneer ?? 'the earliest team'}).`)}`;
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
          title: `${p.team}: commits per person against its own weeks before onboarding`,
          xTitle: 'weeks since onboarding',
          yTitle: '× before',
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
    { label: 'team’s weekly commits per person', className: 's0', mark: 'line' },
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
        ? `not yet (${p.observedWeeks - 1} weeks in)`
        : p.status === 'insufficient-data'
          ? 'no history before onboarding'
          : p.status,
    p.series.map((s) => (s.suppressed ? 'S' : fmt(s.value, 2))).join(' '),
  ]);
  return `${title}
<p class="muted">Commits per person each week, against the team’s own typical week before it onboarded (1× = as before); week 0 is the week it onboarded. A team reaches the pioneer’s level the first week it gets there and holds it the next. Weeks with fewer than ${MIN_CONTRIBUTORS} people committing are left out (S), drawn as gaps.</p>
<figure data-chart="cohort"><figcaption>One panel per team, all on the same scales; the dashed line is the pioneer’s level</figcaption>${keys}<div class="multiples">${panels}</div>
${without.length ? `<p class="muted">No history before onboarding yet: ${esc(without.join(', '))}.</p>` : ''}
${table('Time to the pioneer’s level by team', ['team', 'onboarded', 'commits per person before', 'at the level', 'commits per person by week (× before)'], rows, { wrap: [4] })}</figure>`;
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
  const anyCell = r.skills.some((s) => Object.values(s.usesByTeam).some((v) => v !== null));
  const heat = !r.skills.length
    ? needs('heatmap', 'No shared skills installed yet.')
    : anyCell
      ? figure(
          'heatmap',
          'Skill × team heatmap: uses in the data',
          keys,
          chart,
          table('Uses by skill and team', ['skill', ...teams], grid),
        )
      : needs(
          'heatmap',
          `Needs ${MIN_SESSIONS} sessions per team in the last 28 days to show which team uses which skill (fewer would say little and could point at one person).`,
        );
  const candidates = r.contributeBackCandidates.length
    ? `<p>Contribute-back candidates (local skills that look alike in several teams):</p><ul>${r.contributeBackCandidates.map((c) => `<li>${esc(c.skills.join(', '))} — ${esc(c.teams.join(', '))}</li>`).join('')}</ul>`
    : '';
  return `<h2>Skill reach, activation and reuse</h2>
<p>${team.length ? `<b>Cross-team reuse</b> counts the uses of a team-contributed skill by teams other than the one that contributed it, over all its uses: ${pct(r.totals.crossTeamReuseShare)} overall. ` : ''}Platform skills are the spine’s own: for them the question is <b>reach</b> (teams that installed it, of all teams; ${pct(r.totals.platformReach)} on average) and <b>activation</b> (installing teams that used it in 28 days; ${pct(r.totals.platformActivation)}).</p>
${heat}
${
  team.length
    ? table(
        'Team-contributed skills: cross-team reuse',
        [
          'skill',
          'contributed by',
          'teams installed',
          'teams used (28 d)',
          'uses',
          'by other teams',
          'reuse',
          '',
        ],
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
      )
    : needs(
        'reuse',
        'No team-contributed skills yet: a team shares one with spine contribute, and its use by other teams is counted from then on.',
      )
}
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

const VERDICT_WORDS: Record<string, string> = {
  falling: 'falling — fewer near-misses per call as usage grows',
  flat: 'flat — about as many per call as usage grows',
  rising: 'rising — more near-misses per call as usage grows',
  'insufficient-data': 'not enough weeks yet to tell',
};

function nearMissSection(r: Report): string {
  const weeks = r.nearMisses.org.weeks;
  const title = '<h2>Near-misses</h2>';
  const t = r.totals;
  const counts = `So far: ${t.nearMisses} near-miss(es) in ${t.toolCalls} tool calls over ${t.sessions} session(s).`;
  const rules = r.nearMisses.rules.map((x) => [
    x.rule,
    x.hits,
    x.teams,
    x.sessions,
    x.repeats,
    x.lastHit ?? '–',
    x.hint ?? '',
  ]);
  const rulesTable = rules.length
    ? table('Rules that fired', ['rule', 'hits', 'teams', 'sessions', 'repeats', 'last hit', 'hint'], rules, {
        wrap: [6],
      })
    : '';
  if (weeks.filter((w) => w.rate !== null).length < 2)
    return `${title}
${needs('near-miss', `Needs 2 weeks with ${MIN_SESSIONS} or more sessions each to draw the weekly rate and its trend. ${counts}`)}
${rulesTable}`;
  const at = (i: number) => i;
  const chart = lineChart(
    [
      {
        name: 'top of the expected range',
        className: 'limit',
        dots: false,
        points: weeks.map((w, i) => ({ x: at(i), y: w.upper })),
      },
      {
        name: 'bottom of the expected range',
        className: 'limit',
        dots: false,
        points: weeks.map((w, i) => ({ x: at(i), y: w.lower })),
      },
      {
        name: 'org average',
        className: 'center',
        dots: false,
        points: weeks.map((w, i) => ({ x: at(i), y: w.center })),
      },
      { name: 'rate', className: 's0', points: weeks.map((w, i) => ({ x: at(i), y: w.rate })) },
    ],
    {
      title: 'Near-misses per 1,000 tool calls by week, with the range to expect from chance',
      xTitle: 'week starting',
      yTitle: 'per 1,000 calls',
      xLabel: (v) => weeks[Math.round(v)]?.week.slice(5) ?? '',
    },
  );
  const keys = legend([
    { label: 'weekly rate (org)', className: 's0', mark: 'line' },
    { label: 'org average', className: 'center', mark: 'line' },
    { label: 'range to expect from chance, for that week’s calls', className: 'limit', mark: 'dash' },
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
  const judged = r.nearMisses.teams.filter((x) => x.trend.verdict !== 'insufficient-data');
  const teamRows = judged.map((x) => [
    x.team,
    x.trend.points,
    fmt(x.trend.slope, 3),
    `${fmt(x.trend.low, 3)} … ${fmt(x.trend.high, 3)}`,
    x.trend.verdict,
  ]);
  return `${title}
<p>Trend as usage grows: <b class="verdict-${esc(tr.verdict)}">${esc(VERDICT_WORDS[tr.verdict] ?? tr.verdict)}</b> (${tr.points} weeks). A week outside the dashed range is unusual for its number of calls: worth a look.</p>
${figure('near-miss', 'Near-miss rate by week, with the range to expect', keys, chart, table('Near-misses by week (org)', ['week', 'sessions', 'tool calls', 'near-misses', 'per 1,000 calls', 'expected from', 'expected to'], rows))}
${judged.length ? table('Trend by team (change per 1,000 calls for each 1,000 more calls)', ['team', 'weeks', 'change', 'likely between', 'trend'], teamRows) : ''}
${rulesTable}`;
}

function lagSection(r: Report): string {
  const over = r.lag.bucketsOverTime;
  const names = BUCKETS.map((b) => `${b} behind`);
  const classes = BUCKETS.map((_, i) => `l${i}`);
  const uptake = r.lag.uptake.map((u) => [
    u.version,
    u.date ?? '–',
    u.repos,
    pct(u.share),
    fmt(u.medianDaysToAdopt, 0),
  ]);
  const uptakeTable = table(
    'Release uptake',
    ['release', 'date', 'repos on it or newer', 'share', 'median days to adopt'],
    uptake,
  );
  if (over.length < 2) {
    const now = over.at(-1)?.buckets;
    const words = ['on the latest release', 'one release behind', 'two behind', 'three or more behind'];
    const today = now
      ? BUCKETS.flatMap((b, i) => (now[b] || i === 0 ? [`${now[b]} repo(s) ${words[i]}`] : [])).join(', ')
      : 'no onboarded repo';
    return `<h2>Version lag</h2>
${needs('lag', `Needs two weeks of history to draw lag over time. This week: ${today}.`)}
${uptakeTable}`;
  }
  const chart = stackedBars(
    'Repos by releases behind, per week',
    over.map((w) => ({ label: w.week.slice(5), values: BUCKETS.map((b) => w.buckets[b]) })),
    names,
    classes,
    { x: 'week starting', y: 'repos' },
  );
  const keys = legend(names.map((label, i) => ({ label, className: classes[i]! })));
  const rows = over.map((w) => [w.week, ...BUCKETS.map((b) => w.buckets[b])]);
  return `<h2>Version lag</h2>
${figure('lag', 'Repos by releases behind, per week (darker is further behind)', keys, chart, table('Repos per lag bucket by week', ['week', ...names], rows))}
${uptakeTable}`;
}

function driftSection(r: Report): string {
  const o = r.drift.oldestOpen;
  if (!r.drift.reposChecked)
    return `<h2>Drift</h2>
${needs('drift', 'Needs doctor to run in each repo: run the report without --no-doctor.')}`;
  return `<h2>Drift</h2>
<p>${pct(r.drift.cleanShare)} of ${r.drift.reposChecked} checked repos are clean (no doctor errors or warnings).${o ? ` Oldest open finding: ${esc(o.code)} in ${esc(o.repo)}${o.path ? ` (${esc(o.path)})` : ''}, since ${esc(o.since)}.` : ''}</p>
${
  r.drift.byCodeTeam.length
    ? table(
        'Findings by code and team',
        ['code', 'team', 'findings'],
        r.drift.byCodeTeam.map((x) => [x.code, x.team, x.count]),
      )
    : ''
}`;
}
