import type { TeamState } from './accumulator.js';
import { addDays, weekOf, weeksBetween } from './dates.js';
import { MIN_CONTRIBUTORS, type ParityRow } from './report-model.js';
import { median } from './stats.js';

/** Pre-spine weeks that make a team's baseline, and recent weeks that make the pioneer's level. */
export const BASELINE_WEEKS = 8;
export const LEVEL_WEEKS = 8;

/** Commits per active contributor in a week; null when fewer than MIN_CONTRIBUTORS were active. */
function throughput(team: TeamState, week: string): number | null {
  const cell = team.gitWeeks.get(week);
  if (!cell || cell.contributors < MIN_CONTRIBUTORS) return null;
  return cell.commits / cell.contributors;
}

/** Weekly throughput relative to the team's own pre-spine median, aligned so week 0 holds t0. */
export function cohortSeries(
  team: TeamState,
  asOf: string,
): { baseline: number | null; series: ParityRow['series'] } {
  if (!team.t0) return { baseline: null, series: [] };
  const start = weekOf(team.t0);
  const before: number[] = [];
  for (let k = -BASELINE_WEEKS; k < 0; k++) {
    const value = throughput(team, addDays(start, 7 * k));
    if (value !== null) before.push(value);
  }
  const baseline = median(before) ?? null;
  const last = weeksBetween(start, asOf);
  const series: ParityRow['series'] = [];
  for (let k = 0; k <= last; k++) {
    const value = throughput(team, addDays(start, 7 * k));
    series.push({
      k,
      value: value === null || !baseline ? null : value / baseline,
      suppressed: value === null,
    });
  }
  return { baseline: baseline || null, series };
}

/** The pioneer's level: the median of its recent relative throughput. */
export function pioneerLevel(series: ParityRow['series']): number | null {
  const values = series.filter((s) => s.value !== null).map((s) => s.value!);
  return median(values.slice(-LEVEL_WEEKS)) ?? null;
}

/**
 * Parity: the first aligned week at which the team's relative throughput reaches the pioneer's
 * level and holds it the week after. A team not there yet is censored (status not-yet, with
 * how long it has been observed), never dropped.
 */
export function parityOf(team: string, state: TeamState, asOf: string, level: number | null): ParityRow {
  const { baseline, series } = cohortSeries(state, asOf);
  const row: ParityRow = {
    team,
    t0: state.t0,
    baseline,
    status: 'insufficient-data',
    week: null,
    observedWeeks: series.length,
    series,
  };
  if (baseline === null || level === null) return row;
  row.status = 'not-yet';
  for (let i = 0; i + 1 < series.length; i++) {
    const a = series[i]!.value;
    const b = series[i + 1]!.value;
    if (a !== null && b !== null && a >= level && b >= level) {
      row.status = 'reached';
      row.week = series[i]!.k;
      break;
    }
  }
  return row;
}
