/**
 * The facts document: one small, counts-only description of one team repo at one moment.
 * Published as schemas/facts.schema.json so an org can load it into its own warehouse unchanged;
 * bump FACTS_VERSION on any incompatible change.
 */
export const FACTS_VERSION = 1;

export interface Facts {
  factsVersion: 1;
  generatedAt: string;
  tool: string;
  repo: { name: string; remote?: string; branch: string };
  team: string | null;
  champion: string | null;
  spine: { name: string; version: string; source: string; url?: string; commit?: string } | null;
  /** Date (YYYY-MM-DD, UTC) of the commit that added .spine/lock.json. */
  t0: string | null;
  /** Every committed change of the locked spine version, oldest first. */
  lockHistory: { date: string; version: string }[];
  doctor: DoctorSummary;
  git: { weeks: GitWeek[] };
  skills: InstalledSkill[];
  /**
   * Daily counts from .spine/audit; null when the repo has no audit data. `evaluationSamples`:
   * up to three redacted, shortened examples per evaluated guardrail of calls it would newly
   * refuse — the one place facts carry text, so a platform team can judge a guardrail on trial.
   */
  activity: { days: DayActivity[]; evaluationSamples?: Record<string, string[]> } | null;
  /**
   * In a repo teams share (docs/monorepos.md): each team zone's activity, by the zone the hook
   * wrote on each record; records in no zone count for the repo's `team`. Absent without zones.
   */
  zones?: ZoneActivity[];
}

export interface ZoneActivity {
  team: string;
  champion: string | null;
  days: DayActivity[];
  /** Weekly commits touching the zone's files: the team's own history in a shared repo. */
  weeks?: GitWeek[];
}

export interface DoctorSummary {
  available: boolean;
  /** Why doctor could not run (its spine could not be resolved, …); only when not available. */
  unavailableReason?: string;
  bySeverity: { error: number; warning: number; info: number };
  byCode: Record<string, number>;
  /** Open errors and warnings, with the date of the last commit that touched their path. */
  findings: { code: string; severity: 'error' | 'warning'; path?: string; since?: string }[];
}

export interface GitWeek {
  /** Monday (UTC) that starts the ISO week. */
  week: string;
  commits: number;
  contributors: number;
  /** Commits with an agent co-author trailer: a lower bound of agent-assisted work. */
  agentCommits: number;
}

export interface InstalledSkill {
  name: string;
  hash: string;
  /** true: managed by spine (in the lock); false: the team's own. */
  shared: boolean;
  contributedBy?: string;
  /** Local skills only, so the report can spot the same idea in several teams. */
  description?: string;
}

export interface DayActivity {
  date: string;
  sessions: number;
  toolCalls: number;
  /** Near-misses (PreToolUse denied or asked by a spine rule) by rule id. */
  nearMisses: Record<string, number>;
  /** Distinct sessions in which each rule fired: hits minus this is repeats. */
  nearMissSessions: Record<string, number>;
  skillUses: Record<string, number>;
  /**
   * Guardrails in `mode: evaluate`: calls each would have refused, how many of those another
   * layer stopped anyway, and in how many sessions. Absent when none was evaluated that day.
   */
  evaluated?: Record<string, { hits: number; stoppedAnyway: number; sessions: number }>;
  /**
   * Ordinary work a guardrail stopped, by `layer:kind:class` (`sandbox:write:~/.npm`,
   * `sandbox:network:registry.npmjs.org`, `guard:command:wc`). Absent when there was none.
   */
  friction?: Record<string, number>;
  /**
   * Ask gates: per spine `ask` guardrail, how often a person allowed or refused the call, how
   * often the answer could not be told (an older client's error result), and in how many sessions.
   */
  asks?: Record<string, AskDay>;
  /**
   * Spine `allow` guardrails: calls each let run without asking, and how many of those the OS
   * sandbox then stopped reading a secret. Absent when no allow rule matched that day.
   */
  allowRules?: Record<string, AllowRuleDay>;
}

export interface AllowRuleDay {
  calls: number;
  nearMisses: number;
}

export interface AskDay {
  allowed: number;
  refused: number;
  unknown: number;
  sessions: number;
  /** Calls a person let through the gate that the OS sandbox then stopped reading a secret. */
  nearMisses?: number;
  /** The people asked, as the hook's pseudonyms (`p-` and 16 hex digits), sorted; never an address. */
  people?: string[];
}
