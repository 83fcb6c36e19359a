import { sha256Hex } from '../sha256.js';

/** A guardrail id derived from the rule alone: the same rule gets the same id on every run. */
export function ruleId(effect: string, rule: string, taken: Set<string>): string {
  const slug = `${effect}-${rule}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 72)
    .replace(/-+$/, '');
  if (!taken.has(slug)) return slug;
  return `${slug}-${sha256Hex(rule).slice(0, 6)}`;
}
