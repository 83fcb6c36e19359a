import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** What a cache directory keeps when it is swept. */
export interface SweepRule {
  /** The entry just written: never removed. */
  kept: string;
  /** Only files with this ending are entries (anything else is left alone). */
  ending: string;
  /** At most this many entries, the most recently written. */
  maxEntries: number;
  /** An entry not written for this long is removed. */
  maxAgeMs: number;
}

/** A month: the age past which cache entries are forgotten. */
export const MONTH_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Bounds a cache directory, called when an entry was written: entries older than the rule allows
 * go, then the oldest beyond its count. Never throws: another run may be sweeping the same
 * directory, and a cache that cannot be swept only takes more room.
 */
export function sweepCache(dir: string, rule: SweepRule, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const entries: { path: string; written: number }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (path === rule.kept || !name.endsWith(rule.ending)) continue;
    try {
      const stat = lstatSync(path);
      if (stat.isFile()) entries.push({ path, written: stat.mtimeMs });
    } catch {
      // Removed by another run.
    }
  }
  entries.sort((a, b) => b.written - a.written);
  entries.forEach(({ path, written }, i) => {
    if (i < rule.maxEntries - 1 && now - written < rule.maxAgeMs) return;
    try {
      unlinkSync(path);
    } catch {
      // Removed by another run.
    }
  });
}
