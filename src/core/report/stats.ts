export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface SlopeEstimate {
  slope: number;
  /** 95% confidence interval of the slope (Sen 1968, from the ranks of the pairwise slopes). */
  low: number;
  high: number;
  n: number;
}

/**
 * Theil–Sen: the median of all pairwise slopes. Robust to a few wild weeks, which a
 * least-squares line is not; the interval needs no normality assumption.
 */
export function theilSen(points: { x: number; y: number }[]): SlopeEstimate | undefined {
  const n = points.length;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (dx !== 0) slopes.push((points[j]!.y - points[i]!.y) / dx);
    }
  }
  if (slopes.length === 0) return undefined;
  slopes.sort((a, b) => a - b);
  const count = slopes.length;
  const c = 1.96 * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lowRank = Math.max(1, Math.round((count - c) / 2));
  const highRank = Math.min(count, Math.round((count + c) / 2) + 1);
  return { slope: median(slopes)!, low: slopes[lowRank - 1]!, high: slopes[highRank - 1]!, n };
}

export type Verdict = 'flat' | 'falling' | 'rising' | 'insufficient-data';

/** Falling or rising only when the whole interval is on one side of zero. */
export function verdictOf(estimate: SlopeEstimate | undefined, minPoints = 4): Verdict {
  if (!estimate || estimate.n < minPoints) return 'insufficient-data';
  if (estimate.high < 0) return 'falling';
  if (estimate.low > 0) return 'rising';
  return 'flat';
}

export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
