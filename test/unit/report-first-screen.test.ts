import { describe, expect, it } from 'vitest';
import { periodsOf } from '../../src/core/report/period.js';
import { DEFAULT_THRESHOLDS, thresholdsOf } from '../../src/core/report/thresholds.js';
import { niceTicks } from '../../src/output/html/axes.js';
import { heatLegendSteps, heatStep } from '../../src/output/html/charts.js';

describe('round axis ticks', () => {
  it.each([
    [1.89, [0, 0.5, 1, 1.5, 2]],
    [2.52, [0, 1, 2, 3]],
    [82, [0, 25, 50, 75, 100]],
    [12, [0, 5, 10, 15]],
    [0, [0, 0.25, 0.5, 0.75, 1]],
    [0.063, [0, 0.02, 0.04, 0.06, 0.08]],
  ])('up to %d → %j', (max, ticks) => {
    expect(niceTicks(max)).toEqual(ticks);
  });
});

describe('the heatmap scale', () => {
  it('puts every value in the step its legend names', () => {
    for (const max of [1, 3, 7, 58, 236]) {
      const legend = heatLegendSteps(max);
      for (let v = 0; v <= max; v++) {
        const cls = `h${heatStep(v, max)}`;
        const entry = legend.find((l) => l.className === cls)!;
        expect(entry, `${v} of ${max}`).toBeDefined();
        const [lo, hi] = entry.label.split('–').map(Number);
        expect(v).toBeGreaterThanOrEqual(lo!);
        expect(v).toBeLessThanOrEqual(hi ?? lo!);
      }
    }
  });
});

describe('thresholds and periods', () => {
  it('lays the spine’s values over the defaults, group by group', () => {
    const t = thresholdsOf({ lag: { onTrack: 0.7 }, periodDays: 14 });
    expect(t.lag).toEqual({ ...DEFAULT_THRESHOLDS.lag, onTrack: 0.7 });
    expect(t.periodDays).toBe(14);
    expect(t.drift).toEqual(DEFAULT_THRESHOLDS.drift);
    expect(DEFAULT_THRESHOLDS.lag.onTrack).toBe(0.8);
  });

  it('judges the complete weeks before the report date, and the same span before them', () => {
    // A Monday report: the week just gone is the last one.
    expect(periodsOf('2030-03-25', 28)).toEqual({
      weeks: 4,
      current: { from: '2030-02-25', to: '2030-03-18' },
      previous: { from: '2030-01-28', to: '2030-02-18' },
    });
    // A Sunday report: its own week is complete.
    expect(periodsOf('2030-03-24', 7).current).toEqual({ from: '2030-03-18', to: '2030-03-18' });
  });
});
