import { MIN_CONTRIBUTORS, type Report } from '../../core/report/report-model.js';
import { legend } from './axes.js';
import { lineChart } from './charts.js';
import { esc, fmt, table } from './escape.js';
import { needs } from './how-section.js';

/** Time to the pioneer’s level: each team’s commits per person against its weeks before onboarding. */
export function paritySection(r: Report): string {
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
