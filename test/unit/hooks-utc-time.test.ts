import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDay, isoTime } from '../../src/hooks/utc-time.js';

describe('isoTime', () => {
  it('is what toISOString says, for any time of years 0–9999 (property)', () => {
    const min = Date.parse('0000-01-01T00:00:00.000Z');
    const max = Date.parse('9999-12-31T23:59:59.999Z');
    fc.assert(
      fc.property(fc.integer({ min, max }), (ms) => {
        const date = new Date(ms);
        expect(isoTime(date)).toBe(date.toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('on the edges: leap days, the epoch, before it, the last millisecond of a year', () => {
    for (const at of [
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2000-02-29T12:00:00.001Z',
      '2100-03-01T00:00:00.000Z',
      '2026-12-31T23:59:59.999Z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ])
      expect(isoTime(new Date(at))).toBe(at);
    expect(isoDay(new Date('2026-12-07T04:30:00.000Z'))).toBe('2026-12-07');
    // Outside 0–9999, and an invalid date, as toISOString has them.
    expect(isoTime(new Date('+010000-01-01T00:00:00.000Z'))).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
