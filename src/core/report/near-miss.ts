import type { Cell, RuleState } from './accumulator.js';
import { weekOf } from './dates.js';
import {
  MIN_SESSIONS,
  type RuleRow,
  type SlopeSummary,
  type TrendWeek,
  type WeekCell,
} from './report-model.js';
import { theilSen, verdictOf } from './stats.js';

export function rate(nearMisses: number, toolCalls: number): number | null {
  return toolCalls > 0 ? (nearMisses / toolCalls) * 1000 : null;
}

export function weekCells(weeks: Map<string, Cell>, since: string | null): WeekCell[] {
  return [...weeks]
    .filter(([week]) => !since || week >= weekOf(since))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([week, c]) => {
      const suppressed = c.sessions < MIN_SESSIONS;
      return { week, ...c, rate: suppressed ? null : rate(c.nearMisses, c.toolCalls), suppressed };
    });
}

/**
 * The trend the spec asks about: does the near-miss rate stay flat or fall as usage grows?
 * x is cumulative tool calls (thousands) at the end of each week, y that week's rate; the slope
 * is Theil–Sen with its 95% interval, over unsuppressed weeks only.
 */
export function trendOf(cells: WeekCell[]): { weeks: TrendWeek[]; trend: SlopeSummary } {
  let cumulative = 0;
  const totalCalls = cells.reduce((n, c) => n + (c.suppressed ? 0 : c.toolCalls), 0);
  const totalMisses = cells.reduce((n, c) => n + (c.suppressed ? 0 : c.nearMisses), 0);
  const center = rate(totalMisses, totalCalls);
  const weeks = cells.map<TrendWeek>((c) => {
    cumulative += c.toolCalls;
    // u-chart: the limits widen for weeks with fewer calls, so a quiet week is not an alarm.
    const sigma = center !== null && c.toolCalls > 0 ? 3 * Math.sqrt(center / (c.toolCalls / 1000)) : null;
    return {
      ...c,
      cumulativeToolCalls: cumulative,
      center: c.suppressed ? null : center,
      upper: c.suppressed || sigma === null ? null : center! + sigma,
      lower: c.suppressed || sigma === null ? null : Math.max(0, center! - sigma),
    };
  });
  const points = weeks
    .filter((w) => w.rate !== null)
    .map((w) => ({ x: w.cumulativeToolCalls / 1000, y: w.rate! }));
  const estimate = theilSen(points);
  return {
    weeks,
    trend: {
      slope: estimate?.slope ?? null,
      low: estimate?.low ?? null,
      high: estimate?.high ?? null,
      points: points.length,
      verdict: verdictOf(estimate ? { ...estimate, n: points.length } : undefined),
    },
  };
}

const NOISY_REPEAT_SHARE = 0.5;

export function ruleRows(rules: Map<string, RuleState>, teamCount: number): RuleRow[] {
  return [...rules]
    .map(([rule, r]) => {
      const repeats = Math.max(0, r.hits - r.sessions);
      let hint: string | null = null;
      if (r.hits >= 10 && repeats / r.hits >= NOISY_REPEAT_SHARE)
        hint =
          'noisy: most hits repeat within a session; the agent keeps retrying — say in a skill or CLAUDE.md what to do instead, or narrow the rule';
      else if (teamCount >= 4 && r.teams.size / teamCount >= 0.5)
        hint = 'broad: fires in most teams; check whether the rule blocks routine work';
      return {
        rule,
        hits: r.hits,
        teams: r.teams.size,
        sessions: r.sessions,
        repeats,
        hint,
        lastHit: r.lastHit || null,
      };
    })
    .sort((a, b) => b.hits - a.hits || (a.rule < b.rule ? -1 : 1));
}
