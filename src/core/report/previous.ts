import semver from 'semver';
import type { ReportState } from './accumulator.js';
import { addDays, weekOf } from './dates.js';
import type { ParityRow, Release } from './report-model.js';

/**
 * The first screen's measures one period ago, rebuilt from what the facts already carry (lock
 * history, the dates of open findings, the parity series): no second set of facts needed.
 */

/** Share of repos onboarded by `cutoff` that were on the latest release out by then. */
export function previousLagShare(state: ReportState, releases: Release[], cutoff: string): number | null {
  const out = releases.filter((r) => r.date && r.date < cutoff);
  const latest = out.at(-1)?.version;
  if (!latest) return null;
  let onboarded = 0;
  let current = 0;
  for (const repo of state.repos) {
    if (repo.row.error || !repo.row.t0 || repo.row.t0 >= cutoff) continue;
    const at = [...repo.lockHistory].reverse().find((h) => h.date < cutoff)?.version ?? repo.row.version;
    if (!at || !semver.valid(at)) continue;
    onboarded++;
    if (semver.gte(at, latest)) current++;
  }
  return onboarded ? current / onboarded : null;
}

/**
 * Clean share one period ago, estimated: a repo whose open findings all appeared after the
 * cutoff was clean then; a repo clean now is taken as clean then (a fixed finding leaves no date).
 */
export function previousCleanShare(state: ReportState, cutoff: string): number | null {
  const checked = state.repos.filter(
    (r) => !r.row.error && r.row.clean !== null && (!r.row.t0 || r.row.t0 < cutoff),
  );
  if (!checked.length) return null;
  const clean = checked.filter(
    (r) => r.row.clean || (r.findingSince.length > 0 && r.findingSince.every((d) => d >= cutoff)),
  );
  return clean.length / checked.length;
}

/** Teams that had reached parity (held for two weeks) by the cutoff. */
export function previousAtParity(teams: ParityRow[], cutoff: string): number | null {
  if (!teams.some((p) => p.status === 'reached' || p.status === 'not-yet')) return null;
  return teams.filter(
    (p) => p.status === 'reached' && p.t0 && addDays(weekOf(p.t0), 7 * (p.week! + 2)) <= cutoff,
  ).length;
}
