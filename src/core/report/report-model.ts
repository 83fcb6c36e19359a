import type { Verdict } from './stats.js';
import type { ReportThresholds } from './thresholds.js';

export const REPORT_VERSION = 1;

/** `telemetry` (spine's session records), `claude-code` (only the client's own events), `audit-log` (facts from .spine/audit), `none`. */
export type ActivitySourceLabel = 'telemetry' | 'claude-code' | 'audit-log' | 'none';
/** Below these, a cell is suppressed rather than shown: too few to mean anything, or to stay anonymous. */
export const MIN_SESSIONS = 5;
export const MIN_CONTRIBUTORS = 5;

export interface Release {
  version: string;
  date: string | null;
}

export interface RepoRow {
  path: string;
  team: string;
  /** From .spine/local.yaml: who acts on this repo's recommendations. */
  champion: string | null;
  version: string | null;
  t0: string | null;
  lagReleases: number | null;
  lagDays: number | null;
  /** No doctor errors or warnings; null when doctor did not run. */
  clean: boolean | null;
  findings: { error: number; warning: number; info: number };
  /** Doctor findings of locked guardrail entries missing or overridden (one per rule or setting). */
  lockedRemoved: number;
  /** Launch directories (monorepo packages) an agent can start in without the spine (doctor's launch-dir-unguarded). */
  unguardedLaunchDirs: number;
  hasActivity: boolean;
  sessions: number;
  toolCalls: number;
  nearMisses: number;
  /** Per 1,000 tool calls; null when suppressed (fewer than MIN_SESSIONS sessions). */
  nearMissRate: number | null;
  skillsInstalled: string[];
  skillsUsed: string[];
  /**
   * A repo teams share (docs/monorepos.md): each team zone's activity in the period, the repo's
   * own team last (records in no zone). Absent for a repo without zones.
   */
  zones?: {
    team: string;
    champion: string | null;
    sessions: number;
    toolCalls: number;
    nearMisses: number;
    skillUses: number;
    /** The first day the zone had a session: when the team started in this repo. */
    firstActivity: string | null;
  }[];
  /** Doctor could not run here (its spine cannot be resolved, say): why. Facts still count. */
  doctorUnavailable?: string;
  error?: string;
}

export interface SkillRow {
  name: string;
  shared: boolean;
  contributedBy: string;
  /** Teams that installed it / used it in the 28 days before their facts were taken. */
  installedIn: string[];
  usedIn: string[];
  installedRepos: number;
  uses: number;
  crossTeamUses: number;
  /**
   * Team-contributed skills only: uses by teams other than the contributor over all uses; null
   * for platform skills (their question is reach and activation) and with no uses.
   */
  reuseShare: number | null;
  /** Teams that installed it over all teams. */
  reach: number | null;
  /** Installing teams that used it in 28 days over installing teams. */
  activation: number | null;
  /** Installed in ≥ 3 repos and used in none of them for 60 days (only judged with activity data). */
  dead: boolean;
  usesByTeam: Record<string, number | null>;
}

export interface WeekCell {
  week: string;
  sessions: number;
  toolCalls: number;
  nearMisses: number;
  /** Per 1,000 tool calls; null when suppressed. */
  rate: number | null;
  suppressed: boolean;
}

export interface TrendWeek extends WeekCell {
  cumulativeToolCalls: number;
  /** u-chart control limits around the org's mean rate (3 sigma). */
  center: number | null;
  upper: number | null;
  lower: number | null;
}

export interface SlopeSummary {
  /** Change in near-misses per 1,000 calls for each further 1,000 cumulative tool calls. */
  slope: number | null;
  low: number | null;
  high: number | null;
  points: number;
  verdict: Verdict;
}

export interface RuleRow {
  rule: string;
  hits: number;
  teams: number;
  sessions: number;
  /** Hits beyond the first in the same session: the agent walking into the same wall. */
  repeats: number;
  hint: string | null;
  /** The last day it fired. */
  lastHit: string | null;
}

export type Status = 'on-track' | 'watch' | 'act' | 'no-data';

/** One verdict of the first screen: a question, its status against the thresholds, why. */
export interface Headline {
  key: 'ramp' | 'reuse' | 'near-misses' | 'lag' | 'drift' | 'adoption';
  question: string;
  status: Status;
  value: number | null;
  /** The value in words, e.g. "7 of 11 teams at the pioneer's level". */
  display: string;
  /** The same measure one period earlier; null when it cannot be known. */
  previous: number | null;
  change: string | null;
  /** What on track means here, from the thresholds. */
  target: string;
  /** The teams (or skills) that make the status what it is, each with its reason. */
  drivers: string[];
  /** Teams whose own trend disagrees with the org's (near-misses only). */
  disagree?: { team: string; verdict: Verdict }[];
}

export type RecommendationKind =
  | 'locked-removed'
  | 'unguarded-launch-dirs'
  | 'behind'
  | 'noisy-rule'
  | 'contribute'
  | 'dead-skill'
  | 'quiet-rule'
  | 'enforce-guardrail'
  | 'revise-guardrail'
  | 'friction'
  | 'loosen-ask'
  | 'tighten-allow'
  | 'onboard'
  | 'repair-drift'
  | 'slow-ramp'
  | 'unshared-skill'
  | 'rising-near-misses';

/** One thing to do this week: what, the evidence, the command, who. */
export interface Recommendation {
  kind: RecommendationKind;
  title: string;
  evidence: string;
  command: string;
  who: string;
  /** Higher first: the list is sorted by it. */
  impact: number;
  /** The verdict it moves toward on track; every verdict that says act has at least one. */
  resolves: Headline['key'] | null;
}

export interface ParityRow {
  team: string;
  t0: string | null;
  baseline: number | null;
  status: 'pioneer' | 'reached' | 'not-yet' | 'insufficient-data';
  /** Aligned week (0 = the week of t0) when parity was reached. */
  week: number | null;
  observedWeeks: number;
  series: { k: number; value: number | null; suppressed: boolean }[];
}

export interface Report {
  reportVersion: 1;
  generatedAt: string;
  asOf: string;
  since: string | null;
  thresholds: ReportThresholds;
  /**
   * The report in one sentence, e.g. "3 teams onboarded, all on the latest release (1.0.0),
   * guardrails intact, too little activity yet to judge ramp, reuse and near-misses — check again
   * after 1 more session."
   */
  summary: string;
  /** The first screen: one verdict per question, then what to do this week. */
  headline: Headline[];
  recommendations: Recommendation[];
  releases: { source: 'spine-tags' | 'facts'; list: Release[]; latest: string | null };
  repos: RepoRow[];
  skills: SkillRow[];
  contributeBackCandidates: { teams: string[]; skills: string[] }[];
  lag: {
    shareOnLatest: number | null;
    uptake: {
      version: string;
      date: string | null;
      repos: number;
      share: number;
      medianDaysToAdopt: number | null;
    }[];
    bucketsOverTime: { week: string; buckets: Record<LagBucket, number> }[];
  };
  drift: {
    reposChecked: number;
    /** Repos where git holds a secret file (doctor's secret-tracked): rotate and untrack. */
    reposWithTrackedSecrets: number;
    /** Launch directories without the spine's settings, over all repos, and the repos that have one. */
    unguardedLaunchDirs: number;
    reposWithUnguardedLaunchDirs: number;
    cleanShare: number | null;
    byCodeTeam: { code: string; team: string; count: number }[];
    oldestOpen: { repo: string; team: string; code: string; path?: string; since: string } | null;
  };
  nearMisses: {
    org: { weeks: TrendWeek[]; trend: SlopeSummary };
    teams: { team: string; weeks: WeekCell[]; trend: SlopeSummary }[];
    rules: RuleRow[];
  };
  /** Which of the repositories given carry the spine (report given not-onboarded repos). */
  adoption: import('./adoption.js').Adoption;
  /** Guardrails on trial (`mode: evaluate`) that fired: what enforcing each would do. */
  evaluation: import('./evaluation.js').EvaluationRow[];
  /** Ordinary work a guardrail stopped, per class (`~/.npm`, a host, a program), with the fix. */
  friction: import('./friction.js').FrictionRow[];
  /** Ask gates: how often each asked and what people answered. */
  asks: import('./asks.js').AskRow[];
  /** Spine allow guardrails whose calls the sandbox then stopped reading a secret. */
  allowRules: import('./allow-rules.js').AllowRuleRow[];
  parity: { pioneer: string | null; pioneerLevel: number | null; teams: ParityRow[] };
  coverage: {
    repos: number;
    reposWithActivity: number;
    sessions: number;
    unreadable: number;
    notes: string[];
    /** Per team, where its activity came from (telemetry from the org's collector, or facts). */
    activitySources?: { team: string; source: ActivitySourceLabel }[];
    /** What `--otel` read: records, sessions, duplicates dropped, unreadable lines. */
    telemetry?: import('../telemetry/fold.js').TelemetryCoverage;
  };
  totals: {
    repos: number;
    teams: number;
    sessions: number;
    toolCalls: number;
    nearMisses: number;
    nearMissRate: number | null;
    skillUses: number;
    /** Uses of team-contributed skills by teams other than the contributor, over their uses. */
    crossTeamReuseShare: number | null;
    /** Platform skills: mean share of teams that installed each, and of those that used it in 28 days. */
    platformReach: number | null;
    platformActivation: number | null;
  };
}

export type LagBucket = '0' | '1' | '2' | '3+';
