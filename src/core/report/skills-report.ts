import type { ReportState } from './accumulator.js';
import { MIN_SESSIONS, type SkillRow } from './report-model.js';

const DEAD_MIN_REPOS = 3;

export function skillRows(state: ReportState): SkillRow[] {
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
      return {
        name,
        shared: s.shared,
        contributedBy: s.contributedBy,
        installedIn: [...s.installedTeams].sort(),
        usedIn: [...s.usedTeams28].sort(),
        installedRepos: s.installedRepos,
        uses,
        crossTeamUses: cross,
        reuseShare: uses ? cross / uses : null,
        dead: s.installedRepos >= DEAD_MIN_REPOS && s.reposWithData >= DEAD_MIN_REPOS && s.reposUsed60 === 0,
        usesByTeam,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

const STOP = new Set(
  'when with that this from your use used uses using into what them they have will about'.split(' '),
);

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 4 && !STOP.has(w))
      .map((w) => w.replace(/(ing|es|s)$/, '')),
  );
}

function normalName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/s$/, '');
}

interface LocalSkill {
  team: string;
  key: string;
  words: Set<string>;
}

function similar(a: LocalSkill, b: LocalSkill): boolean {
  if (a.key === b.key) return true;
  const wa = a.words;
  const wb = b.words;
  if (wa.size < 3 || wb.size < 3) return false;
  let both = 0;
  for (const w of wa) if (wb.has(w)) both++;
  return both / (wa.size + wb.size - both) >= 0.5;
}

/** Local skills that look like the same idea in two or more teams: candidates to contribute back. */
export function contributeBackCandidates(state: ReportState): { teams: string[]; skills: string[] }[] {
  const raw = state.localSkills.filter((l) => !state.skills.has(l.name));
  const locals = raw.map((l) => ({
    ...l,
    key: normalName(l.name),
    words: words(`${l.name} ${l.description}`),
  }));
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
