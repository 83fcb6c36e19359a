import { tick } from './deadline.js';

/**
 * Matches a name against a shell wildcard (`*` any run, `?` one character, anything else
 * literal) in O(name × pattern) time at worst, with no backtracking: the classic greedy
 * two-pointer walk that only ever remembers the last `*`. A regular expression built from an
 * agent's glob (`a*a*a*a*a*a*b`) can take hours on one long name; this cannot.
 */
export function wildcardMatch(
  pattern: string,
  name: string,
  { caseless = true, question = true }: { caseless?: boolean; question?: boolean } = {},
): boolean {
  const p = caseless ? pattern.toLowerCase() : pattern;
  const s = caseless ? name.toLowerCase() : name;
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (i < s.length) {
    tick();
    const c = p[j];
    if (
      j < p.length &&
      c !== '*' &&
      ((question && c === '?') || c === s[i] || (c === WHITESPACE && /\s/.test(s[i]!)))
    ) {
      i++;
      j++;
    } else if (j < p.length && p[j] === '*') {
      star = j++;
      resume = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++resume;
    } else return false;
  }
  while (j < p.length && p[j] === '*') j++;
  return j === p.length;
}

/** In a pattern: exactly one whitespace character (a private-use code point, never in a spec). */
export const WHITESPACE = '\uE000';
