import { type BurndownDay, statusWords } from '../../core/rollout/status.js';
import { legend } from './axes.js';
import { stackedBars } from './charts.js';
import { esc, pct, table } from './escape.js';
import { STYLES } from './styles.js';

/** What the page needs of `rollout status`'s result. */
export interface ReleaseStatus {
  to?: string;
  rows: { name: string; status: string; doneAt?: string; review?: { url: string }; reason?: string }[];
  counts: Record<string, number>;
  burndown: BurndownDay[];
}

/**
 * `spine rollout status --html`: one self-contained page for a release — how many repositories
 * are there, the burndown of the ones that got there day by day, and each repository's state.
 */
export function renderRolloutHtml(result: ReleaseStatus, generatedAt: string): string {
  const total = result.rows.length;
  const done = result.counts.done ?? 0;
  const release = result.to ? `v${result.to}` : 'the latest release';
  const counts = Object.entries(result.counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${statusWords(state)}`)
    .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>spine rollout ${esc(release)}</title><style>${STYLES}</style></head>
<body>
<h1>Release ${esc(release)}</h1>
<p class="headline" data-headline>${done} of ${total} repositories done (${pct(total ? done / total : null)})${counts ? ` — ${esc(counts)}` : ''}</p>
<p class="muted">Generated ${esc(generatedAt)} by <code>spine rollout status --html</code>.</p>
${burndownSection(result)}
<h2>Repositories</h2>
${table(
  'Where each repository stands',
  ['repository', 'status', 'done on', 'request or reason'],
  result.rows.map((r) => [r.name, statusWords(r.status), r.doneAt ?? '', r.review?.url ?? r.reason ?? '']),
  { wrap: [3] },
)}
</body></html>
`;
}

function burndownSection(result: ReleaseStatus): string {
  const days = result.burndown;
  if (days.length < 2)
    return `<h2>Burndown</h2><p data-empty>Not enough to draw yet: the burndown starts once repositories reach the release on two different days.</p>`;
  const keys = ['done', 'still to go'];
  const classes = ['s0', 'muted'];
  const chart = stackedBars(
    'Repositories at the release, per day',
    days.map((d) => ({ label: d.date.slice(5), values: [d.done, d.remaining] })),
    keys,
    classes,
    { x: 'day', y: 'repositories' },
  );
  return `<h2>Burndown</h2>
<figure data-chart="burndown"><figcaption>Repositories at the release by the end of each day</figcaption>${legend(keys.map((label, i) => ({ label, className: classes[i]! })))}<div class="chart-wrap">${chart}</div>
${table(
  'Burndown by day',
  ['day', 'done', 'still to go'],
  days.map((d) => [d.date, d.done, d.remaining]),
)}</figure>`;
}
