import type { Report } from '../../core/report/report-model.js';
import { fmt, table } from './escape.js';

/** Every repo, most urgent first, and under it the team zones of the repos teams share. */
export function reposSection(r: Report): string {
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
  )}${zonesTable(repos)}`;
}

/** Repos teams share (docs/monorepos.md): each team zone's activity, under its repo's row. */
function zonesTable(repos: Report['repos']): string {
  const rows = repos.flatMap((x) =>
    (x.zones ?? []).map((z) => [
      x.path,
      z.team,
      z.champion ?? '–',
      z.sessions,
      z.toolCalls,
      z.nearMisses,
      z.skillUses,
      z.firstActivity ?? '–',
    ]),
  );
  if (rows.length === 0) return '';
  return table(
    'Per team zone of the repos teams share',
    ['repo', 'team zone', 'champion', 'sessions', 'tool calls', 'near-misses', 'skill uses', 'first session'],
    rows,
  );
}
