import { jsonEqual } from '../json-equal.js';
/**
 * One element of an array setting that spine owns on its own (a `sandbox.filesystem.denyRead`
 * path, a `sandbox.credentials.envVars` entry, an allowed domain): keyed in the lock as
 * `<dotted.path>[]:<identity>`, so drift and updates work element by element, like rules.
 */
export type ItemValue = string | { name: string; mode: 'deny' };

const ITEM_KEY = /^([A-Za-z.]+)\[\]:(.*)$/s;

/** What names an element across versions: the string itself, or an object's `name`. */
export function itemIdentity(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string') {
    return (value as { name: string }).name;
  }
  return undefined;
}

export function itemKey(path: string[], value: ItemValue): string {
  return `${path.join('.')}[]:${itemIdentity(value)}`;
}

export function parseItemKey(key: string): { path: string[]; identity: string } | undefined {
  const m = ITEM_KEY.exec(key);
  return m ? { path: m[1]!.split('.'), identity: m[2]! } : undefined;
}

/** The element of `list` with this identity, if any. */
export function findItem(list: unknown, identity: string): { index: number; value: unknown } | undefined {
  if (!Array.isArray(list)) return undefined;
  const index = list.findIndex((e) => itemIdentity(e) === identity);
  return index < 0 ? undefined : { index, value: list[index] };
}

export function sameItem(a: unknown, b: unknown): boolean {
  // Most elements are strings (paths, domains): compared as they are, without a JSON round trip.
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return jsonEqual(a, b);
}
