import { type AllowRuleState, addAllowRules, createAllowRuleState } from './allow-rules.js';
import { type AskState, addAsks, createAskState } from './asks.js';
import { addDays, weekOf } from './dates.js';
import { addEvaluation, createEvaluationState, type EvaluationState } from './evaluation.js';
import type { Facts } from './facts.js';
import { addFriction, createFrictionState, type FrictionState } from './friction.js';
import type { RepoRow } from './report-model.js';
import { sum } from './stats.js';
import { addRowActivity, teamUnits, zoneRows } from './zone-activity.js';

export interface Cell {
  sessions: number;
  toolCalls: number;
  nearMisses: number;
}

export interface TeamState {
  gitWeeks: Map<string, { commits: number; contributors: number }>;
  t0: string | null;
  activityWeeks: Map<string, Cell>;
  /** Sessions in the 28 days before each repo's facts were taken: gates the skill heatmap. */
  recentSessions: number;
  champion: string | null;
}

export interface SkillState {
  shared: boolean;
  contributedBy: string;
  installedTeams: Set<string>;
  installedRepos: number;
  /** Installing repos that have audit data, and those of them with a use in 60 days. */
  reposWithData: number;
  reposUsed60: number;
  usedTeams28: Set<string>;
  usesByTeam: Map<string, number>;
  /** team → week → uses: the reuse of one period against the one before. */
  usesByTeamWeek: Map<string, Map<string, number>>;
}

export interface RepoState {
  row: RepoRow;
  generatedAt: string;
  lockHistory: { date: string; version: string }[];
  /** Dates of its open doctor findings: drift one period ago is estimated from them. */
  findingSince: string[];
}

export interface RuleState {
  hits: number;
  sessions: number;
  teams: Set<string>;
  lastHit: string;
}

/** Everything the report needs, kept small per repo: facts are folded in and dropped. */
export interface ReportState {
  since: string | null;
  asOf: string;
  repos: RepoState[];
  teams: Map<string, TeamState>;
  skills: Map<string, SkillState>;
  localSkills: { team: string; name: string; description: string }[];
  rules: Map<string, RuleState>;
  /** Guardrails in `mode: evaluate`: their would-be refusals. */
  evaluation: EvaluationState;
  /** Ordinary work a guardrail stopped, per class and team. */
  friction: FrictionState;
  /** Ask gates: what people answered, per guardrail and team. */
  asks: AskState;
  allowRules: AllowRuleState;
  /** The earliest day of activity data: how far back "never fired" can be judged. */
  firstActivity: string | null;
  codeTeam: Map<string, number>;
  oldest: { repo: string; team: string; code: string; path?: string; since: string } | null;
  spineSources: Set<string>;
  versionsSeen: Map<string, string>;
  unreadable: number;
  doctorUnavailable: number;
  /** Repos whose doctor found a secret file git holds (`secret-tracked`). */
  reposWithTrackedSecrets: number;
}

/** Doctor codes of a locked guardrail entry that is gone or overridden in the repo. */
const LOCKED_REMOVED = ['locked-rule-missing', 'locked-rule-overridden', 'locked-setting-missing'];

/** The platform team: the contributor of any shared skill that does not name another. */
export const PLATFORM = 'platform';

export function createReportState(since: string | null): ReportState {
  return {
    since,
    asOf: '',
    repos: [],
    teams: new Map(),
    skills: new Map(),
    localSkills: [],
    rules: new Map(),
    evaluation: createEvaluationState(),
    friction: createFrictionState(),
    asks: createAskState(),
    allowRules: createAllowRuleState(),
    firstActivity: null,
    codeTeam: new Map(),
    oldest: null,
    spineSources: new Set(),
    versionsSeen: new Map(),
    unreadable: 0,
    doctorUnavailable: 0,
    reposWithTrackedSecrets: 0,
  };
}

export function addUnreadable(state: ReportState, path: string, message: string): void {
  state.unreadable++;
  state.repos.push({
    row: { ...emptyRow(path, '?'), error: message },
    generatedAt: '',
    lockHistory: [],
    findingSince: [],
  });
}

/** Folds one repo's facts into the state; `doctorUnavailable` says why it has no drift data. */
export function addFacts(state: ReportState, facts: Facts, path: string, doctorUnavailable?: string): void {
  const teamName = facts.team ?? facts.repo.name;
  const asOf = facts.generatedAt.slice(0, 10);
  if (asOf > state.asOf) state.asOf = asOf;
  const units = teamUnits(facts, teamName);
  for (const unit of units) {
    const t = teamOf(state, unit.team);
    if (facts.t0 && (!t.t0 || facts.t0 < t.t0)) t.t0 = facts.t0;
    t.champion ??= unit.champion;
  }
  // A repo teams share: each zone's own commits are its history (time to the pioneer's level).
  const histories = facts.zones?.some((z) => z.weeks)
    ? facts.zones.map((z) => [z.team, z.weeks ?? []] as const)
    : [[teamName, facts.git.weeks] as const];
  for (const [name, weeks] of histories) {
    const team = teamOf(state, name);
    for (const w of weeks) {
      const cell = team.gitWeeks.get(w.week) ?? { commits: 0, contributors: 0 };
      cell.commits += w.commits;
      // Summed over a team's repos: one person in two repos counts twice (documented upper bound).
      cell.contributors += w.contributors;
      team.gitWeeks.set(w.week, cell);
    }
  }
  if (facts.spine) {
    state.spineSources.add(facts.spine.url ?? facts.spine.source);
    for (const h of [...facts.lockHistory, { date: asOf, version: facts.spine.version }]) {
      const seen = state.versionsSeen.get(h.version);
      if (!seen || h.date < seen) state.versionsSeen.set(h.version, h.date);
    }
  }

  const row = emptyRow(path, teamName);
  row.version = facts.spine?.version ?? null;
  row.champion = facts.champion;
  row.lockedRemoved = LOCKED_REMOVED.reduce((n, code) => n + (facts.doctor.byCode[code] ?? 0), 0);
  row.unguardedLaunchDirs = facts.doctor.byCode['launch-dir-unguarded'] ?? 0;
  row.t0 = facts.t0;
  row.findings = { ...facts.doctor.bySeverity };
  row.clean = facts.doctor.available
    ? facts.doctor.bySeverity.error + facts.doctor.bySeverity.warning === 0
    : null;
  // Facts collected elsewhere carry the reason themselves.
  const unavailable = doctorUnavailable ?? facts.doctor.unavailableReason;
  if (unavailable) {
    row.doctorUnavailable = unavailable;
    state.doctorUnavailable++;
  }
  row.skillsInstalled = facts.skills.map((s) => s.name);
  if ((facts.doctor.byCode['secret-tracked'] ?? 0) > 0) state.reposWithTrackedSecrets++;
  addDoctor(state, facts, path, teamName);
  addRowActivity(state, facts, row);
  addSkillsUsed(state, facts, row, asOf);
  addSkillInstalls(state, facts, teamName, asOf);
  // Team-level counts go to each team zone of a repo teams share (docs/monorepos.md), so ramp
  // and reuse across teams hold inside a monorepo; a repo without zones is one unit, its team.
  for (const unit of units) {
    addActivity(state, unit.facts, teamOf(state, unit.team), unit.team, asOf);
    addEvaluation(state.evaluation, unit.facts, unit.team, state.since);
    addFriction(state.friction, unit.facts, unit.team, state.since);
    addAsks(state.asks, unit.facts, unit.team, state.since);
    addAllowRules(state.allowRules, unit.facts, unit.team, state.since);
    addSkills(state, unit.facts, unit.team, asOf);
  }
  if (facts.zones?.length) row.zones = zoneRows(state, units);
  state.repos.push({
    row,
    generatedAt: asOf,
    lockHistory: facts.lockHistory,
    findingSince: facts.doctor.findings.flatMap((f) => (f.since ? [f.since] : [])),
  });
}

function addDoctor(state: ReportState, facts: Facts, path: string, team: string): void {
  for (const [code, count] of Object.entries(facts.doctor.byCode)) {
    const key = `${code}\t${team}`;
    state.codeTeam.set(key, (state.codeTeam.get(key) ?? 0) + count);
  }
  for (const f of facts.doctor.findings) {
    if (f.since && (!state.oldest || f.since < state.oldest.since))
      state.oldest = { repo: path, team, code: f.code, ...(f.path ? { path: f.path } : {}), since: f.since };
  }
}

function addActivity(
  state: ReportState,
  facts: Facts,
  team: TeamState,
  teamName: string,
  asOf: string,
): void {
  if (!facts.activity) return;
  const recentFrom = addDays(asOf, -27);
  for (const day of facts.activity.days) {
    if (state.since && day.date < state.since) continue;
    const nearMisses = sum(Object.values(day.nearMisses));
    if (day.date >= recentFrom) team.recentSessions += day.sessions;
    const week = weekOf(day.date);
    const cell = team.activityWeeks.get(week) ?? { sessions: 0, toolCalls: 0, nearMisses: 0 };
    cell.sessions += day.sessions;
    cell.toolCalls += day.toolCalls;
    cell.nearMisses += nearMisses;
    team.activityWeeks.set(week, cell);
    for (const [rule, hits] of Object.entries(day.nearMisses)) {
      const r = state.rules.get(rule) ?? { hits: 0, sessions: 0, teams: new Set<string>(), lastHit: '' };
      r.hits += hits;
      if (hits > 0 && day.date > r.lastHit) r.lastHit = day.date;
      r.sessions += day.nearMissSessions[rule] ?? 0;
      r.teams.add(teamName);
      state.rules.set(rule, r);
    }
  }
}

/** When each skill was last used in the period, and how often by week. */
function skillUseDays(state: ReportState, facts: Facts) {
  const uses = new Map<string, number>();
  const last = new Map<string, string>();
  const weekly: { name: string; week: string; n: number }[] = [];
  for (const day of facts.activity?.days ?? []) {
    if (state.since && day.date < state.since) continue;
    for (const [name, n] of Object.entries(day.skillUses)) {
      uses.set(name, (uses.get(name) ?? 0) + n);
      weekly.push({ name, week: weekOf(day.date), n });
      if ((last.get(name) ?? '') < day.date) last.set(name, day.date);
    }
  }
  return { uses, last, weekly };
}

function addSkillsUsed(state: ReportState, facts: Facts, row: RepoRow, asOf: string): void {
  const from28 = addDays(asOf, -27);
  row.skillsUsed = [...skillUseDays(state, facts).last]
    .filter(([, d]) => d >= from28)
    .map(([n]) => n)
    .sort();
}

/**
 * Per repo, once: how many repos install each shared skill and use it; its local skills, by the
 * repo's team (zones of one repo share its skills: never candidates against each other).
 */
function addSkillInstalls(state: ReportState, facts: Facts, team: string, asOf: string): void {
  const { last } = skillUseDays(state, facts);
  const from60 = addDays(asOf, -59);
  for (const skill of facts.skills) {
    if (!skill.shared) {
      state.localSkills.push({ team, name: skill.name, description: skill.description ?? '' });
      continue;
    }
    const s = skillOf(state, skill.name, skill.contributedBy);
    s.installedRepos++;
    if (facts.activity) {
      s.reposWithData++;
      if ((last.get(skill.name) ?? '') >= from60) s.reposUsed60++;
    }
  }
}

/** Per team (a repo's team, or each team zone of it): which skills it has and how it uses them. */
function addSkills(state: ReportState, facts: Facts, team: string, asOf: string): void {
  const { uses, last, weekly } = skillUseDays(state, facts);
  const from28 = addDays(asOf, -27);
  for (const skill of facts.skills)
    if (skill.shared) skillOf(state, skill.name, skill.contributedBy).installedTeams.add(team);
  for (const [name, n] of uses) {
    const s = state.skills.get(name);
    if (!s) continue; // local skills are counted by their team, not compared across the fleet
    s.usesByTeam.set(team, (s.usesByTeam.get(team) ?? 0) + n);
    if ((last.get(name) ?? '') >= from28) s.usedTeams28.add(team);
  }
  for (const { name, week, n } of weekly) {
    const s = state.skills.get(name);
    if (!s) continue;
    const byWeek = s.usesByTeamWeek.get(team) ?? new Map<string, number>();
    byWeek.set(week, (byWeek.get(week) ?? 0) + n);
    s.usesByTeamWeek.set(team, byWeek);
  }
}

function skillOf(state: ReportState, name: string, contributedBy?: string): SkillState {
  let s = state.skills.get(name);
  if (!s) {
    s = {
      shared: true,
      contributedBy: contributedBy ?? PLATFORM,
      installedTeams: new Set(),
      installedRepos: 0,
      reposWithData: 0,
      reposUsed60: 0,
      usedTeams28: new Set(),
      usesByTeam: new Map(),
      usesByTeamWeek: new Map(),
    };
    state.skills.set(name, s);
  }
  return s;
}

function teamOf(state: ReportState, name: string): TeamState {
  let t = state.teams.get(name);
  if (!t) {
    t = { gitWeeks: new Map(), t0: null, activityWeeks: new Map(), recentSessions: 0, champion: null };
    state.teams.set(name, t);
  }
  return t;
}

function emptyRow(path: string, team: string): RepoRow {
  return {
    path,
    team,
    champion: null,
    version: null,
    t0: null,
    lagReleases: null,
    lagDays: null,
    clean: null,
    findings: { error: 0, warning: 0, info: 0 },
    lockedRemoved: 0,
    unguardedLaunchDirs: 0,
    hasActivity: false,
    sessions: 0,
    toolCalls: 0,
    nearMisses: 0,
    nearMissRate: null,
    skillsInstalled: [],
    skillsUsed: [],
  };
}
