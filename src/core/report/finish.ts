import type { Cell } from './accumulator.js';
import { PLATFORM, type ReportState } from './accumulator.js';
import { adoptionHeadline, adoptionOf, adoptionRecommendations } from './adoption.js';
import { allowRuleRows } from './allow-rules.js';
import { askRows } from './asks.js';
import { addDays, weekOf } from './dates.js';
import { evaluationRows } from './evaluation.js';
import { frictionRows } from './friction.js';
import { headlineOf, type ReportBody } from './headline.js';
import {
  lagBucketsOverTime,
  lagOf,
  type RepoVersion,
  releasesFromFacts,
  sortReleases,
  uptakeOf,
} from './lag.js';
import { rate, ruleRows, trendOf, weekCells } from './near-miss.js';
import { cohortSeries, parityOf, pioneerLevel } from './parity.js';
import { nearMissRates, periodsOf, reuseByPeriod } from './period.js';
import { previousAtParity, previousCleanShare, previousLagShare } from './previous.js';
import { recommendationsOf } from './recommendations.js';
import { MIN_SESSIONS, REPORT_VERSION, type Release, type Report } from './report-model.js';
import { contributeBackCandidates, skillRows } from './skills-report.js';
import { sum } from './stats.js';
import { summaryOf } from './summary.js';
import { type ThresholdsInput, thresholdsOf } from './thresholds.js';

export interface FinishOptions {
  generatedAt: string;
  /** Releases from the spine's tags when they could be read; otherwise the versions seen in the facts. */
  releases?: Release[];
  pioneer?: string;
  /** How many weeks of history the time charts show. */
  chartWeeks?: number;
  /** The spine's own thresholds for the first screen; defaults for anything left out. */
  thresholds?: ThresholdsInput;
  /** Repositories given that are not onboarded, as given: the adoption card counts them. */
  notOnboarded?: string[];
  /** With --org: the organisation's onboarded repositories whose data was not given. */
  onboardedOutside?: string[];
}

/** Turns the folded state into the one versioned report object, first screen included. Pure. */
export function finishReport(state: ReportState, options: FinishOptions): Report {
  const thresholds = thresholdsOf(options.thresholds);
  const body = reportBody(state, options, thresholds);
  const periods = periodsOf(body.asOf, thresholds.periodDays);
  const rates = nearMissRates(state, periods);
  const cutoff = periods.current.from;
  const headline = headlineOf({
    report: body,
    thresholds,
    periods,
    rates,
    reuse: reuseByPeriod(state, periods),
    previousLagShare: previousLagShare(state, body.releases.list, cutoff),
    previousCleanShare: previousCleanShare(state, cutoff),
    previousAtParity: previousAtParity(body.parity.teams, cutoff),
  });
  const { thresholds: _, ...rest } = body;
  // The adoption card leads when the report was given repositories without the spine; a fleet
  // read only from onboarded repos or facts has nothing to say about adoption.
  const cards = body.adoption.notOnboarded.length ? [adoptionHeadline(body.adoption), ...headline] : headline;
  const withCards = {
    ...rest,
    thresholds,
    headline: cards,
    recommendations: [
      ...adoptionRecommendations(body.adoption),
      ...recommendationsOf(body, thresholds, rates, state.firstActivity, cards),
    ].sort((a, b) => b.impact - a.impact || (a.title < b.title ? -1 : 1)),
  };
  // `summary` right after the metadata, so it leads the JSON as it leads the page.
  const { reportVersion, generatedAt, asOf, since, ...others } = withCards;
  const summary = summaryOf({
    report: withCards,
    sessionsNow: rates.org.sessions,
    sessionsThisWeek: rates.org.thisWeek,
  });
  return { reportVersion, generatedAt, asOf, since, summary, ...others };
}

function reportBody(
  state: ReportState,
  options: FinishOptions,
  thresholds: Report['thresholds'],
): ReportBody {
  const asOf = state.asOf || options.generatedAt.slice(0, 10);
  const releases = options.releases?.length
    ? sortReleases(options.releases)
    : releasesFromFacts(state.versionsSeen);
  const latest = releases.at(-1)?.version ?? null;
  const rows = state.repos.map((r) => r.row);
  for (const repo of state.repos) {
    if (repo.row.error) continue;
    Object.assign(repo.row, lagOf(repo.row.version, repo.generatedAt, releases));
    repo.row.nearMissRate =
      repo.row.sessions >= MIN_SESSIONS ? rate(repo.row.nearMisses, repo.row.toolCalls) : null;
  }
  const readable = state.repos.filter((r) => !r.row.error);
  const versions: RepoVersion[] = readable.map((r) => ({
    version: r.row.version,
    asOf: r.generatedAt,
    t0: r.row.t0,
    lockHistory: r.lockHistory,
  }));
  const firstT0 = readable
    .map((r) => r.row.t0)
    .filter((t): t is string => !!t)
    .sort()[0];
  const chartFrom = maxDate(
    [firstT0 ?? asOf, addDays(asOf, -7 * ((options.chartWeeks ?? 52) - 1)), state.since ?? ''].filter(
      Boolean,
    ),
  );
  const onboarded = readable.filter((r) => r.row.version);
  const checked = readable.filter((r) => r.row.clean !== null);

  const orgWeeks = new Map<string, Cell>();
  for (const team of state.teams.values())
    for (const [week, c] of team.activityWeeks) {
      const o = orgWeeks.get(week) ?? { sessions: 0, toolCalls: 0, nearMisses: 0 };
      o.sessions += c.sessions;
      o.toolCalls += c.toolCalls;
      o.nearMisses += c.nearMisses;
      orgWeeks.set(week, o);
    }

  const teamNames = [...state.teams.keys()].sort();
  const pioneer = options.pioneer ?? earliestTeam(state);
  const pioneerState = pioneer ? state.teams.get(pioneer) : undefined;
  const level = pioneerState ? pioneerLevel(cohortSeries(pioneerState, asOf).series) : null;
  const skills = skillRows(state);
  const uses = sum(skills.map((s) => s.uses));
  const totalsCalls = sum(readable.map((r) => r.row.toolCalls));
  const totalsMisses = sum(readable.map((r) => r.row.nearMisses));
  const sessions = sum(readable.map((r) => r.row.sessions));

  return {
    reportVersion: REPORT_VERSION,
    generatedAt: options.generatedAt,
    asOf,
    since: state.since,
    thresholds,
    releases: { source: options.releases?.length ? 'spine-tags' : 'facts', list: releases, latest },
    repos: rows,
    skills,
    contributeBackCandidates: contributeBackCandidates(state),
    lag: {
      shareOnLatest: onboarded.length
        ? onboarded.filter((r) => r.row.lagReleases === 0).length / onboarded.length
        : null,
      uptake: uptakeOf(versions, releases),
      bucketsOverTime: lagBucketsOverTime(versions, releases, weekOf(chartFrom), weekOf(asOf)),
    },
    drift: {
      reposChecked: checked.length,
      reposWithTrackedSecrets: state.reposWithTrackedSecrets,
      unguardedLaunchDirs: sum(checked.map((r) => r.row.unguardedLaunchDirs)),
      reposWithUnguardedLaunchDirs: checked.filter((r) => r.row.unguardedLaunchDirs > 0).length,
      cleanShare: checked.length ? checked.filter((r) => r.row.clean).length / checked.length : null,
      byCodeTeam: [...state.codeTeam]
        .map(([key, count]) => {
          const [code, team] = key.split('\t') as [string, string];
          return { code, team, count };
        })
        .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
      oldestOpen: state.oldest,
    },
    nearMisses: {
      org: trendOf(weekCells(orgWeeks, state.since)),
      teams: teamNames.map((team) => ({
        team,
        ...trendSummary(state.teams.get(team)!.activityWeeks, state.since),
      })),
      rules: ruleRows(state.rules, teamNames.length),
    },
    adoption: adoptionOf(rows, options.notOnboarded ?? [], options.onboardedOutside ?? []),
    evaluation: evaluationRows(
      state.evaluation,
      new Map(
        teamNames.map((team) => [
          team,
          sum([...state.teams.get(team)!.activityWeeks.values()].map((c) => c.toolCalls)),
        ]),
      ),
      sessions,
    ),
    friction: frictionRows(state.friction),
    asks: askRows(state.asks),
    allowRules: allowRuleRows(state.allowRules),
    parity: {
      pioneer: pioneer ?? null,
      pioneerLevel: level,
      teams: teamNames.map((team) => {
        const row = parityOf(team, state.teams.get(team)!, asOf, level);
        return team === pioneer ? { ...row, status: 'pioneer' as const, week: null } : row;
      }),
    },
    coverage: {
      repos: state.repos.length,
      reposWithActivity: readable.filter((r) => r.row.hasActivity).length,
      sessions,
      unreadable: state.unreadable,
      notes: coverageNotes(state, readable.length),
    },
    totals: {
      repos: readable.length,
      teams: teamNames.length,
      sessions,
      toolCalls: totalsCalls,
      nearMisses: totalsMisses,
      nearMissRate: sessions >= MIN_SESSIONS ? rate(totalsMisses, totalsCalls) : null,
      skillUses: uses,
      ...reuseTotals(skills),
    },
  };
}

function reuseTotals(skills: Report['skills']) {
  const team = skills.filter((s) => s.contributedBy !== PLATFORM);
  const teamUses = sum(team.map((s) => s.uses));
  const platform = skills.filter((s) => s.contributedBy === PLATFORM);
  const mean = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? sum(v) / v.length : null;
  };
  return {
    crossTeamReuseShare: teamUses ? sum(team.map((s) => s.crossTeamUses)) / teamUses : null,
    platformReach: mean(platform.map((s) => s.reach)),
    platformActivation: mean(platform.map((s) => s.activation)),
  };
}

function trendSummary(weeks: Map<string, Cell>, since: string | null) {
  const cells = weekCells(weeks, since);
  return { weeks: cells, trend: trendOf(cells).trend };
}

function earliestTeam(state: ReportState): string | undefined {
  let best: [string, string] | undefined;
  for (const [name, t] of state.teams) if (t.t0 && (!best || t.t0 < best[1])) best = [name, t.t0];
  return best?.[0];
}

function maxDate(dates: string[]): string {
  return dates.sort().at(-1)!;
}

function coverageNotes(state: ReportState, readable: number): string[] {
  const notes = [
    `Activity metrics come from .spine/audit on the machines where facts were taken; repos without audit data count as no data, not as zero use.`,
    `Cells built from fewer than ${MIN_SESSIONS} sessions (activity) or ${5} contributors (git throughput) are suppressed.`,
  ];
  if (state.doctorUnavailable)
    notes.push(
      `${state.doctorUnavailable} repo(s): doctor unavailable (listed with the reason); their drift is unknown, not clean.`,
    );
  if (state.unreadable)
    notes.push(`${state.unreadable} repo(s) could not be read and are listed with their error.`);
  if (readable === 0) notes.push('No readable repos: nothing to report.');
  return notes;
}
