import type { PeriodRates, PeriodReuse, Periods } from './period.js';
import { type Headline, MIN_CONTRIBUTORS, MIN_SESSIONS, type Report, type Status } from './report-model.js';
import type { ReportThresholds } from './thresholds.js';

/** A repo as a reader names it: the last part of its path or remote, without `.git`. */
export function repoLabel(path: string): string {
  return (
    path
      .replace(/\/+$/, '')
      .split(/[/:]/)
      .at(-1)!
      .replace(/\.git$/, '') || path
  );
}

export type ReportBody = Omit<Report, 'summary' | 'headline' | 'recommendations'>;

export interface HeadlineInput {
  report: ReportBody;
  thresholds: ReportThresholds;
  periods: Periods;
  rates: PeriodRates;
  reuse: PeriodReuse;
  previousLagShare: number | null;
  previousCleanShare: number | null;
  /** Teams at parity one period ago (null without parity data). */
  previousAtParity: number | null;
}

/** The five verdicts of the first screen, in the order the seed asks its questions. */
export function headlineOf(input: HeadlineInput): Headline[] {
  return [ramp(input), reuse(input), nearMisses(input), lag(input), drift(input)];
}

const pct = (v: number) => `${Math.round(v * 100)}%`;
const signed = (v: number, unit = '') => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v)}${unit}`;
const pointsChange = (now: number | null, before: number | null, weeks: number) =>
  now === null || before === null
    ? null
    : `${signed(Math.round((now - before) * 100), ' pts')} vs the ${weeks} weeks before`;

function ramp({ report, thresholds: t, previousAtParity }: HeadlineInput): Headline {
  const teams = report.parity.teams.filter((p) => p.status === 'reached' || p.status === 'not-yet');
  const reached = teams.filter((p) => p.status === 'reached').length;
  const late = teams
    .filter((p) => p.status === 'not-yet' && p.observedWeeks - 1 > t.ramp.watchWeeks)
    .sort((a, b) => b.observedWeeks - a.observedWeeks);
  const worst = late[0] ? late[0].observedWeeks - 1 : 0;
  const status: Status = !teams.length
    ? 'no-data'
    : worst > t.ramp.actWeeks
      ? 'act'
      : late.length
        ? 'watch'
        : 'on-track';
  const fastest = report.parity.teams
    .filter((p) => p.status === 'reached')
    .sort((a, b) => a.week! - b.week!)
    .slice(0, 2)
    .map((p) => `${p.team}: there in week ${p.week}`);
  return {
    key: 'ramp',
    question: 'Do new teams get productive fast?',
    status,
    value: teams.length ? reached / teams.length : null,
    display: teams.length
      ? `${reached} of ${teams.length} teams at ${report.parity.pioneer ?? 'the pioneer'}’s level`
      : `needs git history from before onboarding: weeks with ${MIN_CONTRIBUTORS} or more people committing`,
    previous: previousAtParity,
    change:
      previousAtParity === null ? null : `${signed(reached - previousAtParity)} team(s) since last period`,
    target: `every team at the pioneer’s level within ${t.ramp.watchWeeks} weeks (act after ${t.ramp.actWeeks})`,
    drivers: late.length
      ? late.map((p) => `${p.team}: not there after ${p.observedWeeks - 1} weeks`)
      : fastest,
  };
}

function reuse({ thresholds: t, reuse: r, periods }: HeadlineInput): Headline {
  const status: Status =
    r.now === null
      ? 'no-data'
      : r.now >= t.reuse.onTrack
        ? 'on-track'
        : r.now >= t.reuse.act
          ? 'watch'
          : 'act';
  return {
    key: 'reuse',
    question: 'Does what one team finds spread to others?',
    status,
    value: r.now,
    display:
      r.now === null
        ? 'needs a team-contributed skill in use (spine contribute shares one)'
        : `${pct(r.now)} of uses of team-contributed skills are by other teams`,
    previous: r.before,
    change: pointsChange(r.now, r.before, periods.weeks),
    target: `${pct(t.reuse.onTrack)} or more of their uses by other teams (act under ${pct(t.reuse.act)})`,
    drivers: r.skills
      .slice(0, 3)
      .map((s) =>
        s.otherTeams.length
          ? `${s.name} (from ${s.contributedBy}): used by ${s.otherTeams.length} other team(s)`
          : `${s.name} (from ${s.contributedBy}): no other team used it`,
      ),
  };
}

function nearMisses({ report, thresholds: t, rates, periods }: HeadlineInput): Headline {
  const org = report.nearMisses.org.trend.verdict;
  const disagree = report.nearMisses.teams
    .filter((x) => x.trend.verdict !== 'insufficient-data' && x.trend.verdict !== org)
    .map((x) => ({ team: x.team, verdict: x.trend.verdict }));
  const now = rates.org.now;
  const rising = disagree.filter((d) => d.verdict === 'rising');
  const hot = [...rates.teams]
    .filter(([, r]) => now !== null && r.now !== null && now > 0 && r.now >= t.nearMiss.teamMultiple * now)
    .sort((a, b) => b[1].now! - a[1].now!);
  const status: Status =
    now === null && org === 'insufficient-data'
      ? 'no-data'
      : org === 'rising'
        ? 'act'
        : (now ?? 0) > t.nearMiss.watchRate || rising.length || hot.length
          ? 'watch'
          : 'on-track';
  const change =
    now === null || rates.org.before === null
      ? null
      : `${signed(Number((now - rates.org.before).toFixed(1)))} per 1,000 vs the ${periods.weeks} weeks before`;
  return {
    key: 'near-misses',
    question: 'Do near-misses stay flat or fall as usage grows?',
    status,
    value: now,
    display:
      now === null
        ? `needs ${MIN_SESSIONS} sessions in the last ${periods.weeks} weeks for a rate (${rates.org.sessions} so far${
            rates.org.thisWeek ? `; ${rates.org.thisWeek} this week, counted when it ends` : ''
          })`
        : `${now.toFixed(1)} per 1,000 tool calls; ${org === 'insufficient-data' ? 'too few weeks yet for a trend' : `org trend ${org}`}`,
    previous: rates.org.before,
    change,
    target: `a trend that is flat or falling, under ${t.nearMiss.watchRate} per 1,000 calls, no team at ${t.nearMiss.teamMultiple}× the org`,
    drivers: [
      ...hot.map(
        ([team, r]) => `${team}: ${r.now!.toFixed(1)} per 1,000 (${(r.now! / now!).toFixed(1)}× the org)`,
      ),
      ...rising.filter((d) => !hot.some(([team]) => team === d.team)).map((d) => `${d.team}: rising`),
    ],
    disagree,
  };
}

function lag({ report, thresholds: t, previousLagShare, periods }: HeadlineInput): Headline {
  const share = report.lag.shareOnLatest;
  const behind = report.repos
    .filter((r) => (r.lagReleases ?? 0) >= t.lag.behind)
    .sort((a, b) => b.lagReleases! - a.lagReleases! || (b.lagDays ?? 0) - (a.lagDays ?? 0));
  const status: Status =
    share === null ? 'no-data' : share >= t.lag.onTrack ? 'on-track' : share >= t.lag.act ? 'watch' : 'act';
  const byTeam = new Map<string, number>();
  for (const r of behind) byTeam.set(r.team, Math.max(byTeam.get(r.team) ?? 0, r.lagReleases!));
  return {
    key: 'lag',
    question: 'Are teams on the latest spine?',
    status,
    value: share,
    display:
      share === null
        ? 'needs an onboarded repo'
        : `${pct(share)} of repos on ${report.releases.latest ?? 'the latest release'}`,
    previous: previousLagShare,
    change: pointsChange(share, previousLagShare, periods.weeks),
    target: `${pct(t.lag.onTrack)} or more on the latest release (act under ${pct(t.lag.act)})`,
    drivers: [...byTeam].map(([team, n]) => `${team}: ${n} releases behind`),
  };
}

function drift({ report, thresholds: t, previousCleanShare, periods }: HeadlineInput): Headline {
  const share = report.drift.cleanShare;
  const locked = report.repos
    .filter((r) => r.lockedRemoved > 0)
    .sort((a, b) => b.lockedRemoved - a.lockedRemoved);
  // A warning (a team-edited managed file, say) is worth a look, never an emergency: act needs a
  // locked guardrail removed or too many repos with errors, each of which has its repair.
  const checked = report.repos.filter((r) => r.clean !== null);
  const errorFree = checked.length
    ? checked.filter((r) => r.findings.error === 0).length / checked.length
    : null;
  const status: Status =
    share === null
      ? 'no-data'
      : locked.length || (errorFree !== null && errorFree < t.drift.act)
        ? 'act'
        : share < t.drift.onTrack
          ? 'watch'
          : 'on-track';
  const dirty = report.repos
    .filter((r) => r.clean === false && r.lockedRemoved === 0)
    .sort((a, b) => b.findings.error - a.findings.error || b.findings.warning - a.findings.warning);
  return {
    key: 'drift',
    question: 'Do repos keep the guardrails as shipped?',
    status,
    value: share,
    display:
      share === null
        ? 'needs doctor to run in each repo (it was skipped)'
        : `${pct(share)} of ${report.drift.reposChecked} checked repos clean`,
    previous: previousCleanShare,
    change: pointsChange(share, previousCleanShare, periods.weeks),
    target: `${pct(t.drift.onTrack)} or more clean and no locked guardrail removed (act when under ${pct(t.drift.act)} are free of errors)`,
    drivers: [
      ...locked.map((r) => `${r.team} (${repoLabel(r.path)}): ${r.lockedRemoved} locked rule(s) removed`),
      ...dirty
        .slice(0, 3)
        .map(
          (r) =>
            `${r.team} (${repoLabel(r.path)}): ${r.findings.error} error(s), ${r.findings.warning} warning(s)`,
        ),
    ],
  };
}
