import type { AllowRuleDay, Facts } from './facts.js';

/**
 * Allow rules that let risk through: a call a spine `allow` guardrail let run without asking
 * that the OS sandbox then stopped reading a secret (a near-miss on the same call). One such call
 * can be a fluke; calls that keep ending this way mean the rule is wider than the work it was
 * written for, and the report recommends tightening it — move it to `ask:` or narrow its rules —
 * with the evidence. The counterpart of loosening an ask gate (asks.ts).
 */
export interface AllowRuleRow {
  guardrail: string;
  /** Calls the rule allowed. */
  calls: number;
  /** Of those, calls the sandbox then stopped reading a secret. */
  nearMisses: number;
  teams: { team: string; calls: number; nearMisses: number }[];
  /** tighten: at least TIGHTEN_MIN_NEAR_MISSES near-misses, TIGHTEN_MIN_SHARE of its calls or more. */
  verdict: 'tighten' | 'keep' | 'needs-data';
}

export const TIGHTEN_MIN_NEAR_MISSES = 3;
export const TIGHTEN_MIN_SHARE = 0.02;

type Tally = AllowRuleDay & { teams: Map<string, AllowRuleDay> };
export type AllowRuleState = Map<string, Tally>;

export function createAllowRuleState(): AllowRuleState {
  return new Map();
}

/** Folds one repo's per-day allow-rule counts into the state. */
export function addAllowRules(state: AllowRuleState, facts: Facts, team: string, since: string | null): void {
  for (const day of facts.activity?.days ?? []) {
    if (!day.allowRules || (since && day.date < since)) continue;
    for (const [rule, a] of Object.entries(day.allowRules)) {
      const t = state.get(rule) ?? { calls: 0, nearMisses: 0, teams: new Map() };
      state.set(rule, t);
      const byTeam = t.teams.get(team) ?? { calls: 0, nearMisses: 0 };
      t.teams.set(team, byTeam);
      t.calls += a.calls;
      t.nearMisses += a.nearMisses;
      byTeam.calls += a.calls;
      byTeam.nearMisses += a.nearMisses;
    }
  }
}

/** Rules with a near-miss, most near-misses first: a rule whose calls all ran clean is not news. */
export function allowRuleRows(state: AllowRuleState): AllowRuleRow[] {
  return [...state]
    .filter(([, t]) => t.nearMisses > 0)
    .map(([guardrail, t]): AllowRuleRow => {
      const enough = t.nearMisses >= TIGHTEN_MIN_NEAR_MISSES;
      return {
        guardrail,
        calls: t.calls,
        nearMisses: t.nearMisses,
        teams: [...t.teams]
          .filter(([, x]) => x.calls > 0)
          .map(([team, x]) => ({ team, calls: x.calls, nearMisses: x.nearMisses }))
          .sort((a, b) => b.nearMisses - a.nearMisses || b.calls - a.calls || (a.team < b.team ? -1 : 1)),
        verdict: !enough ? 'needs-data' : t.nearMisses >= TIGHTEN_MIN_SHARE * t.calls ? 'tighten' : 'keep',
      };
    })
    .sort((a, b) => b.nearMisses - a.nearMisses || (a.guardrail < b.guardrail ? -1 : 1));
}

/**
 * Adds one session's allow-rule counts (`rule:calls`, `rule:near_misses` → n, as the session
 * summary carries them) to a day's per-rule counts.
 */
export function addAllowRuleCounts(
  into: Record<string, AllowRuleDay>,
  counts: Record<string, number>,
): Record<string, AllowRuleDay> {
  for (const [key, n] of Object.entries(counts)) {
    const at = key.lastIndexOf(':');
    const rule = key.slice(0, at);
    const what = key.slice(at + 1);
    if (at <= 0 || (what !== 'calls' && what !== 'near_misses') || !(n > 0)) continue;
    const day = into[rule] ?? { calls: 0, nearMisses: 0 };
    into[rule] = day;
    if (what === 'calls') day.calls += n;
    else day.nearMisses += n;
  }
  return into;
}
