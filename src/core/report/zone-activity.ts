import type { ReportState } from './accumulator.js';
import type { Facts } from './facts.js';
import type { RepoRow } from './report-model.js';
import { sum } from './stats.js';

/** A team's share of one repo: the whole repo, or one team zone of a repo teams share. */
export interface TeamUnit {
  team: string;
  champion: string | null;
  /** The repo's facts with this unit's activity only. */
  facts: Facts;
}

export function teamUnits(facts: Facts, teamName: string): TeamUnit[] {
  if (!facts.zones?.length) return [{ team: teamName, champion: facts.champion, facts }];
  const units: TeamUnit[] = facts.zones.map((z) => ({
    team: z.team,
    champion: z.champion,
    facts: { ...facts, activity: facts.activity ? { days: z.days } : null },
  }));
  // The repo's own team always counts (its git history, the skills it installed).
  if (!units.some((u) => u.team === teamName))
    units.push({
      team: teamName,
      champion: facts.champion,
      facts: { ...facts, activity: facts.activity ? { days: [] } : null },
    });
  return units;
}

/** Per team zone of one repo: its sessions, calls, near-misses and skill uses in the period. */
export function zoneRows(state: ReportState, units: TeamUnit[]): NonNullable<RepoRow['zones']> {
  return units.map((u) => {
    const days = (u.facts.activity?.days ?? []).filter((d) => !state.since || d.date >= state.since);
    return {
      team: u.team,
      champion: u.champion,
      sessions: sum(days.map((d) => d.sessions)),
      toolCalls: sum(days.map((d) => d.toolCalls)),
      nearMisses: sum(days.map((d) => sum(Object.values(d.nearMisses)))),
      skillUses: sum(days.map((d) => sum(Object.values(d.skillUses)))),
      firstActivity: days.find((d) => d.sessions > 0)?.date ?? null,
    };
  });
}

/** The repo row's totals over all its activity, whichever team zone it was in. */
export function addRowActivity(state: ReportState, facts: Facts, row: RepoRow): void {
  for (const day of facts.activity?.days ?? []) {
    if (state.since && day.date < state.since) continue;
    row.hasActivity = true;
    if (!state.firstActivity || day.date < state.firstActivity) state.firstActivity = day.date;
    row.sessions += day.sessions;
    row.toolCalls += day.toolCalls;
    row.nearMisses += sum(Object.values(day.nearMisses));
  }
}
