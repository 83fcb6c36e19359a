import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import semver from 'semver';
import { utcDate } from '../../core/report/dates.js';
import type { Release } from '../../core/report/report-model.js';
import { git } from '../../io/git.js';

/**
 * The spine's releases (vX.Y.Z tags with their dates), read from a local clone of the spine:
 * `--spine <dir>` when given, else any source in the facts that is a local git directory.
 * Undefined when none is reachable: the report then falls back to the versions seen in the facts.
 */
export async function releasesFromSpine(cwd: string, candidates: string[]): Promise<Release[] | undefined> {
  for (const candidate of candidates) {
    const dir = localDir(cwd, candidate);
    if (!dir) continue;
    try {
      const out = await git(dir, [
        'for-each-ref',
        '--format=%(refname:short)%09%(creatordate:iso-strict)',
        'refs/tags',
      ]);
      const releases = out
        .split('\n')
        .map((line) => line.split('\t'))
        .filter(([tag]) => tag && /^v\d+\.\d+\.\d+$/.test(tag) && semver.valid(tag))
        .map(([tag, date]) => ({ version: tag!.slice(1), date: date ? utcDate(date) : null }));
      if (releases.length) return releases;
    } catch {
      // Not a git repository after all: try the next candidate.
    }
  }
  return undefined;
}

/** A spine source that is a directory on this machine (a clone), else undefined. */
export function localDir(cwd: string, spec: string): string | undefined {
  const path = spec.startsWith('file://') ? spec.slice('file://'.length) : spec;
  if (/^[a-z]+:/i.test(path) || path === 'embedded' || path.includes('@')) return undefined;
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  return existsSync(join(abs, '.git')) || existsSync(join(abs, 'HEAD')) ? abs : undefined;
}
