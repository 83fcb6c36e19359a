import semver from 'semver';
import { addDays, daysBetween, weekRange } from './dates.js';
import type { LagBucket, Release, Report } from './report-model.js';
import { median } from './stats.js';

export interface RepoVersion {
  version: string | null;
  /** The day its facts were taken: lag is measured then, not when the report runs. */
  asOf: string;
  t0: string | null;
  lockHistory: { date: string; version: string }[];
}

/** Releases sorted oldest version first; anything that is not semver is left out. */
export function sortReleases(releases: Release[]): Release[] {
  return releases.filter((r) => semver.valid(r.version)).sort((a, b) => semver.compare(a.version, b.version));
}

/** Releases behind, and days since the first newer release came out (0 when current). */
export function lagOf(
  version: string | null,
  asOf: string,
  releases: Release[],
): { lagReleases: number | null; lagDays: number | null } {
  if (!version || !semver.valid(version)) return { lagReleases: null, lagDays: null };
  const newer = releases.filter((r) => semver.gt(r.version, version) && (!r.date || r.date <= asOf));
  if (newer.length === 0) return { lagReleases: 0, lagDays: 0 };
  const dates = newer.map((r) => r.date).filter((d): d is string => d !== null);
  const first = dates.sort()[0];
  return { lagReleases: newer.length, lagDays: first ? Math.max(0, daysBetween(first, asOf)) : null };
}

export function uptakeOf(repos: RepoVersion[], releases: Release[]): Report['lag']['uptake'] {
  const versioned = repos.filter((r) => r.version && semver.valid(r.version));
  return releases.map((release) => {
    const on = versioned.filter((r) => semver.gte(r.version!, release.version));
    const delays: number[] = [];
    if (release.date) {
      for (const r of on) {
        const adopted = r.lockHistory.find(
          (h) => semver.valid(h.version) && semver.gte(h.version, release.version),
        );
        if (adopted) delays.push(Math.max(0, daysBetween(release.date, adopted.date)));
      }
    }
    return {
      version: release.version,
      date: release.date,
      repos: on.length,
      share: versioned.length ? on.length / versioned.length : 0,
      medianDaysToAdopt: median(delays) ?? null,
    };
  });
}

/** For each week: how many onboarded repos were 0, 1, 2, 3+ releases behind at its end. */
export function lagBucketsOverTime(
  repos: RepoVersion[],
  releases: Release[],
  from: string,
  to: string,
): Report['lag']['bucketsOverTime'] {
  return weekRange(from, to).map((week) => {
    const end = addDays(week, 6);
    const buckets: Record<LagBucket, number> = { '0': 0, '1': 0, '2': 0, '3+': 0 };
    for (const repo of repos) {
      if (!repo.t0 || repo.t0 > end) continue;
      const at = [...repo.lockHistory].reverse().find((h) => h.date <= end)?.version ?? repo.version;
      if (!at || !semver.valid(at)) continue;
      const behind = releases.filter((r) => r.date && r.date <= end && semver.gt(r.version, at)).length;
      buckets[behind >= 3 ? '3+' : (String(behind) as LagBucket)]++;
    }
    return { week, buckets };
  });
}

/** The fallback release list: every version seen in the facts, dated by its first adoption. */
export function releasesFromFacts(seen: Map<string, string>): Release[] {
  return sortReleases([...seen].map(([version, date]) => ({ version, date })));
}
