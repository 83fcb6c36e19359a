/**
 * Whether two values read from JSON are the same JSON: the same scalars, arrays of equal elements
 * in order, objects with the same keys (in any order) holding equal values. Prototypes do not
 * count: a parser that keeps positions builds null-prototype objects, which a strict deep-equal
 * never finds equal to a plain object. What `isDeepStrictEqual` says of both values after a JSON
 * round trip, without the round trip (doctor compares a couple of hundred settings entries per
 * run) and without loading node's comparison module.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(y, key) || !jsonEqual(x[key], y[key])) return false;
  }
  return true;
}
