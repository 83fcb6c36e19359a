import {
  DESCRIPTION_THRESHOLD,
  descriptionSimilarity,
  NAME_THRESHOLD,
  nameSimilarity,
} from '../similarity.js';
import { PLATFORM, type ReportState } from './accumulator.js';
import { addDays } from './dates.js';
import { MIN_SESSIONS, type SkillRow } from './report-model.js';

const DEAD_MIN_REPOS = 3;
const DEAD_DAYS = 60;

export function skillRows(state: ReportState): SkillRow[] {
  // "No use in 60 days" is only a finding when the activity data reaches back 60 days: a fleet
  // onboarded last week has not had the chance to use anything.
  const longEnough = !!state.firstActivity && state.firstActivity <= addDays(state.asOf, -(DEAD_DAYS - 1));
  return [...state.skills]
    .map(([name, s]) => {
      let uses = 0;
      let cross = 0;
      const usesByTeam: Record<string, number | null> = {};
      for (const [team, n] of s.usesByTeam) {
        uses += n;
        if (team !== s.contributedBy) cross += n;
      }
      for (const team of new Set([...s.installedTeams, ...s.usesByTeam.keys()])) {
        const t = state.teams.get(team);
        // A heatmap cell from fewer than MIN_SESSIONS recent sessions is suppressed, not shown as 0.
        usesByTeam[team] = t && t.recentSessions >= MIN_SESSIONS ? (s.usesByTeam.get(team) ?? 0) : null;
      }
      const teamCount = state.teams.size;
      const platform = s.contributedBy === PLATFORM;
      return {
        name,
        shared: s.shared,
        contributedBy: s.contributedBy,
        installedIn: [...s.installedTeams].sort(),
        usedIn: [...s.usedTeams28].sort(),
        installedRepos: s.installedRepos,
        uses,
        crossTeamUses: cross,
        reuseShare: !platform && uses ? cross / uses : null,
        reach: teamCount ? s.installedTeams.size / teamCount : null,
        activation: s.installedTeams.size
          ? [...s.usedTeams28].filter((t) => s.installedTeams.has(t)).length / s.installedTeams.size
          : null,
        dead:
          longEnough &&
          s.installedRepos >= DEAD_MIN_REPOS &&
          s.reposWithData >= DEAD_MIN_REPOS &&
          s.reposUsed60 === 0,
        usesByTeam,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

interface LocalSkill {
  team: string;
  name: string;
  description: string;
}

/** The same test `spine contribute` uses for a near-duplicate: close names or the same description. */
function similar(a: LocalSkill, b: LocalSkill): boolean {
  return (
    nameSimilarity(a.name, b.name) >= NAME_THRESHOLD ||
    descriptionSimilarity(a.description, b.description) >= DESCRIPTION_THRESHOLD
  );
}

/** Local skills that look like the same idea in two or more teams: candidates to contribute back. */
export function contributeBackCandidates(state: ReportState): { teams: string[]; skills: string[] }[] {
  const locals = state.localSkills.filter((l) => !state.skills.has(l.name));
  const parent = locals.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i]!;
    return i;
  };
  for (let i = 0; i < locals.length; i++)
    for (let j = i + 1; j < locals.length; j++)
      if (locals[i]!.team !== locals[j]!.team && similar(locals[i]!, locals[j]!)) parent[find(i)] = find(j);
  const groups = new Map<number, typeof locals>();
  for (const [i, l] of locals.entries()) groups.set(find(i), [...(groups.get(find(i)) ?? []), l]);
  return [...groups.values()]
    .map((g) => ({
      teams: [...new Set(g.map((l) => l.team))].sort(),
      skills: [...new Set(g.map((l) => l.name))].sort(),
    }))
    .filter((g) => g.teams.length >= 2)
    .sort((a, b) => b.teams.length - a.teams.length);
}
