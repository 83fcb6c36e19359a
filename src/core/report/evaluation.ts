import type { Facts } from './facts.js';
import { MIN_SESSIONS } from './report-model.js';

/**
 * Guardrails on trial (`mode: evaluate`): what enforcing each would do, from the would-be
 * refusals the guard recorded. A would-be refusal that another layer stopped anyway (the guard's
 * secret check, an enforced rule, the OS sandbox) costs nobody anything once enforced: it is a
 * detour the spine already holds. One that ran is work enforcing would newly refuse — the calls a
 * platform team reads before it decides (docs/evaluate.md).
 */
export interface EvaluationRow {
  guardrail: string;
  /** Calls the guardrail would have refused. */
  hits: number;
  /** Of those, calls nothing else stopped: what enforcing it would newly refuse. */
  newlyRefused: number;
  sessions: number;
  teams: { team: string; hits: number; newlyRefused: number; perThousandCalls: number | null }[];
  /** Redacted, shortened examples of the calls it would newly refuse. */
  samples: string[];
  /**
   * enforce: every would-be refusal was stopped anyway, on enough sessions to judge; revise: it
   * would refuse calls that ran (narrow it, or accept that and enforce); needs-data: too few
   * sessions yet.
   */
  verdict: 'enforce' | 'revise' | 'needs-data';
}

interface RuleTally {
  hits: number;
  stoppedAnyway: number;
  sessions: number;
  teams: Map<string, { hits: number; stoppedAnyway: number }>;
  samples: string[];
}

export type EvaluationState = Map<string, RuleTally>;

export function createEvaluationState(): EvaluationState {
  return new Map();
}

/** Folds one repo's evaluated-guardrail counts (and examples) into the state. */
export function addEvaluation(
  state: EvaluationState,
  facts: Facts,
  team: string,
  since: string | null,
): void {
  for (const day of facts.activity?.days ?? []) {
    if (!day.evaluated || (since && day.date < since)) continue;
    for (const [rule, e] of Object.entries(day.evaluated)) {
      const tally = tallyOf(state, rule);
      tally.hits += e.hits;
      tally.stoppedAnyway += e.stoppedAnyway;
      tally.sessions += e.sessions;
      const t = tally.teams.get(team) ?? { hits: 0, stoppedAnyway: 0 };
      t.hits += e.hits;
      t.stoppedAnyway += e.stoppedAnyway;
      tally.teams.set(team, t);
    }
  }
  for (const [rule, samples] of Object.entries(facts.activity?.evaluationSamples ?? {})) {
    const tally = state.get(rule);
    if (!tally) continue;
    for (const s of samples)
      if (tally.samples.length < 5 && !tally.samples.includes(s)) tally.samples.push(s);
  }
}

/**
 * One row per evaluated guardrail that fired, most newly refused first. `teamCalls` gives each
 * team's tool calls (for the per-team rate); `fleetSessions` decides whether there is enough
 * activity to recommend enforcing.
 */
export function evaluationRows(
  state: EvaluationState,
  teamCalls: Map<string, number>,
  fleetSessions: number,
): EvaluationRow[] {
  return [...state]
    .map(([guardrail, t]): EvaluationRow => {
      const newlyRefused = t.hits - t.stoppedAnyway;
      return {
        guardrail,
        hits: t.hits,
        newlyRefused,
        sessions: t.sessions,
        teams: [...t.teams]
          .map(([team, x]) => {
            const calls = teamCalls.get(team) ?? 0;
            return {
              team,
              hits: x.hits,
              newlyRefused: x.hits - x.stoppedAnyway,
              perThousandCalls: calls > 0 ? (x.hits / calls) * 1000 : null,
            };
          })
          .sort((a, b) => b.hits - a.hits || (a.team < b.team ? -1 : 1)),
        samples: t.samples,
        verdict: newlyRefused > 0 ? 'revise' : fleetSessions >= MIN_SESSIONS ? 'enforce' : 'needs-data',
      };
    })
    .sort(
      (a, b) => b.newlyRefused - a.newlyRefused || b.hits - a.hits || (a.guardrail < b.guardrail ? -1 : 1),
    );
}

function tallyOf(state: EvaluationState, rule: string): RuleTally {
  let t = state.get(rule);
  if (!t) {
    t = { hits: 0, stoppedAnyway: 0, sessions: 0, teams: new Map(), samples: [] };
    state.set(rule, t);
  }
  return t;
}
