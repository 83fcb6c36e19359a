import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/core/json-equal.js';

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value));

/** The same JSON value with every object rebuilt without a prototype, its keys in another order. */
function nullPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullPrototypes);
  if (typeof value !== 'object' || value === null) return value;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).reverse())
    copy[key] = nullPrototypes((value as Record<string, unknown>)[key]);
  return copy;
}

describe('jsonEqual', () => {
  it('says what isDeepStrictEqual says after a JSON round trip, for any two JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(jsonEqual(a, b)).toBe(isDeepStrictEqual(roundTrip(a), roundTrip(b)));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds a value equal to itself rebuilt without prototypes, and a changed one unequal', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (a) => {
        expect(jsonEqual(a, nullPrototypes(a))).toBe(true);
        expect(jsonEqual(nullPrototypes(a), a)).toBe(true);
        expect(jsonEqual({ v: a }, { v: a, extra: 1 })).toBe(false);
        expect(jsonEqual([a], [a, a])).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('tells an array from an object with the same entries, and a key from its absence', () => {
    expect(jsonEqual(['a'], { 0: 'a' })).toBe(false);
    expect(jsonEqual({ 0: 'a' }, ['a'])).toBe(false);
    expect(jsonEqual({ a: null }, { b: null })).toBe(false);
    expect(jsonEqual({ a: 1, b: [2, { c: 3 }] }, { b: [2, { c: 3 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: '1' })).toBe(false);
  });
});
