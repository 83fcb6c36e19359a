import { MIN_SESSIONS, type Report } from '../../core/report/report-model.js';
import { legend } from './axes.js';
import { heatLegendSteps, heatmap } from './charts.js';
import { esc, figure, pct, table } from './escape.js';
import { needs } from './how-section.js';

/** Shared skills: which team uses which, reuse across teams, reach, and contribute-back candidates. */
export function skillsSection(r: Report): string {
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
