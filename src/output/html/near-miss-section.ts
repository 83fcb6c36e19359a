import { MIN_SESSIONS, type Report } from '../../core/report/report-model.js';
import { legend } from './axes.js';
import { lineChart } from './charts.js';
import { esc, figure, fmt, table } from './escape.js';
import { needs } from './how-section.js';

const VERDICT_WORDS: Record<string, string> = {
  falling: 'falling — fewer near-misses per call as usage grows',
  flat: 'flat — about as many per call as usage grows',
  rising: 'rising — more near-misses per call as usage grows',
  'insufficient-data': 'not enough weeks yet to tell',
};

/** Near-misses: the weekly rate with its range to expect, the trend by team, the rules that fired. */
export function nearMissSection(r: Report): string {
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
