/**
 * The lines the first screen judges against. A spine sets its own in `report.yaml` at its root
 * (schemas/report-thresholds.schema.json); anything it leaves out keeps the default below.
 */
export interface ReportThresholds {
  /** Days in a report period: "now" is the last period, the change is against the one before. */
  periodDays: number;
  ramp: {
    /** A team not at the pioneer's level after this many weeks: watch. */
    watchWeeks: number;
    /** … after this many weeks: act. */
    actWeeks: number;
  };
  reuse: {
    /** Share of a team-contributed skill's uses by other teams: at or above → on track. */
    onTrack: number;
    /** Below this → act; between → watch. */
    act: number;
  };
  nearMiss: {
    /** Near-misses per 1,000 tool calls in the period above which the org is watched. */
    watchRate: number;
    /** A team at this multiple of the org's rate or more drives the verdict. */
    teamMultiple: number;
  };
  lag: {
    /** Share of repos on the latest release: at or above → on track. */
    onTrack: number;
    /** Below → act. */
    act: number;
    /** Releases behind that make a repo a driver (and a recommendation). */
    behind: number;
  };
  drift: {
    /** Share of checked repos clean: at or above → on track. */
    onTrack: number;
    /** Below → act. A repo with a locked guardrail removed always makes it act. */
    act: number;
  };
  rules: {
    /** A rule seen in the data that has not fired for this many days is a candidate to review. */
    quietDays: number;
  };
}

export const DEFAULT_THRESHOLDS: ReportThresholds = {
  periodDays: 28,
  ramp: { watchWeeks: 8, actWeeks: 16 },
  reuse: { onTrack: 0.3, act: 0.1 },
  nearMiss: { watchRate: 25, teamMultiple: 2 },
  lag: { onTrack: 0.8, act: 0.5, behind: 2 },
  drift: { onTrack: 0.9, act: 0.7 },
  rules: { quietDays: 90 },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type ThresholdsInput = DeepPartial<ReportThresholds>;

/** The defaults with whatever the spine set laid over them (one level deep: every group is flat). */
export function thresholdsOf(input: ThresholdsInput | undefined): ReportThresholds {
  const out = structuredClone(DEFAULT_THRESHOLDS) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(input ?? {})) {
    if (value === undefined) continue;
    out[key] =
      typeof value === 'object' && value !== null ? { ...(out[key] as object), ...(value as object) } : value;
  }
  return out as unknown as ReportThresholds;
}
