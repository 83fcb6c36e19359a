import { type Cell, PLATFORM, type ReportState } from './accumulator.js';
import { addDays, weekOf } from './dates.js';
import { rate } from './near-miss.js';
import { MIN_SESSIONS } from './report-model.js';

/** The last complete weeks up to the report's date, and the same number of weeks before them. */
export interface Periods {
  weeks: number;
  current: { from: string; to: string };
  previous: { from: string; to: string };
}

export function periodsOf(asOf: string, periodDays: number): Periods {
  const weeks = Math.max(1, Math.round(periodDays / 7));
  // The week that ended on or before asOf: a report run on a Monday judges the week just gone.
  const last = weekOf(addDays(asOf, -6));
  const from = addDays(last, -7 * (weeks - 1));
  return {
    weeks,
    current: { from, to: last },
    previous: { from: addDays(from, -7 * weeks), to: addDays(from, -7) },
  };
}

const inside = (week: string, p: { from: string; to: string }) => week >= p.from && week <= p.to;

export interface PeriodRates {
  /**
   * `sessions`: sessions in the current period, thin or not (what a suppressed rate still lacks);
   * `thisWeek`: sessions of the week still in progress, which the rate counts once it ends.
   */
  org: { now: number | null; before: number | null; sessions: number; thisWeek: number };
  teams: Map<string, { now: number | null; before: number | null }>;
}

/** Near-misses per 1,000 calls in each period, for the org and each team; thin cells are null. */
export function nearMissRates(state: ReportState, p: Periods): PeriodRates {
  const org = { now: zero(), before: zero(), thisWeek: zero() };
  const teams = new Map<string, { now: number | null; before: number | null }>();
  for (const [name, team] of state.teams) {
    const t = { now: zero(), before: zero() };
    for (const [week, cell] of team.activityWeeks) {
      if (inside(week, p.current)) add(t.now, cell);
      else if (inside(week, p.previous)) add(t.before, cell);
      else if (week > p.current.to) add(org.thisWeek, cell);
    }
    add(org.now, t.now);
    add(org.before, t.before);
    teams.set(name, { now: rateOf(t.now), before: rateOf(t.before) });
  }
  return {
    org: {
      now: rateOf(org.now),
      before: rateOf(org.before),
      sessions: org.now.sessions,
      thisWeek: org.thisWeek.sessions,
    },
    teams,
  };
}

export interface PeriodReuse {
  now: number | null;
  before: number | null;
  /** Team-contributed skills with their uses by other teams in the current period. */
  skills: { name: string; contributedBy: string; otherTeams: string[]; crossUses: number }[];
}

/** Cross-team reuse of team-contributed skills in each period: uses by other teams over all uses. */
export function reuseByPeriod(state: ReportState, p: Periods): PeriodReuse {
  const totals = { now: [0, 0], before: [0, 0] };
  const skills: PeriodReuse['skills'] = [];
  for (const [name, s] of state.skills) {
    if (s.contributedBy === PLATFORM) continue;
    const other = new Set<string>();
    let crossUses = 0;
    for (const [team, byWeek] of s.usesByTeamWeek)
      for (const [week, n] of byWeek) {
        const slot = inside(week, p.current) ? totals.now : inside(week, p.previous) ? totals.before : null;
        if (!slot) continue;
        slot[0]! += n;
        if (team !== s.contributedBy) {
          slot[1]! += n;
          if (slot === totals.now) {
            other.add(team);
            crossUses += n;
          }
        }
      }
    skills.push({ name, contributedBy: s.contributedBy, otherTeams: [...other].sort(), crossUses });
  }
  const share = ([all, cross]: number[]) => (all! > 0 ? cross! / all! : null);
  return {
    now: share(totals.now),
    before: share(totals.before),
    skills: skills.sort((a, b) => b.otherTeams.length - a.otherTeams.length || b.crossUses - a.crossUses),
  };
}

function zero(): Cell {
  return { sessions: 0, toolCalls: 0, nearMisses: 0 };
}

function add(to: Cell, c: Cell): void {
  to.sessions += c.sessions;
  to.toolCalls += c.toolCalls;
  to.nearMisses += c.nearMisses;
}

function rateOf(c: Cell): number | null {
  return c.sessions >= MIN_SESSIONS ? rate(c.nearMisses, c.toolCalls) : null;
}
