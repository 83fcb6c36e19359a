import type { Report } from '../../core/report/report-model.js';
import { esc, pct, table } from './escape.js';
import { needs } from './how-section.js';

/** Drift: the share of clean repos and the oldest open finding. */
export function driftSection(r: Report): string {
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
