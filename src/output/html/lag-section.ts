import type { LagBucket, Report } from '../../core/report/report-model.js';
import { legend } from './axes.js';
import { stackedBars } from './charts.js';
import { figure, fmt, pct, table } from './escape.js';
import { needs } from './how-section.js';

const BUCKETS: LagBucket[] = ['0', '1', '2', '3+'];

/** Releases behind: repos per lag bucket by week, and how fast each release was taken up. */
export function lagSection(r: Report): string {
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
