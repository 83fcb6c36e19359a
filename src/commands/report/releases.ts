import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import semver from 'semver';
import { utcDate } from '../../core/report/dates.js';
import type { Release } from '../../core/report/report-model.js';
import { git } from '../../io/git.js';
import { manifestVersion } from '../../spine/release-version.js';
import { releaseManifests } from '../../spine/sources/release-manifests.js';

export interface SpineReleases {
  releases: Release[];
  /** One line per release tag whose spine.yaml names another version. */
  notes: string[];
}

/**
 * The spine's releases (vX.Y.Z tags with their dates), read from a local clone of the spine:
 * `--spine <dir>` when given, else any source in the facts that is a local git directory.
 * Undefined when none is reachable: the report then falls back to the versions seen in the facts.
 * A release counts by the version its spine.yaml names, the number every lock records, so a tag
 * that disagrees (which init, update and validate refuse) cannot skew lag.
 */
export async function releasesFromSpine(
  cwd: string,
  candidates: string[],
): Promise<SpineReleases | undefined> {
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
      if (releases.length) return await byManifestVersion(dir, releases);
    } catch {
      // Not a git repository after all: try the next candidate.
    }
  }
  return undefined;
}

async function byManifestVersion(dir: string, tagged: Release[]): Promise<SpineReleases> {
  const fileVersion = new Map<string, string>();
  const notes: string[] = [];
  for (const { tag, text } of await releaseManifests(dir)) {
    const found = manifestVersion(`${tag}:spine.yaml`, text)?.version;
    const clean = found ? semver.valid(found) : null;
    if (!clean || clean === tag.slice(1)) continue;
    fileVersion.set(tag.slice(1), clean);
    notes.push(
      `release tag ${tag} holds spine.yaml version ${found}: counted as ${clean}, the version locks record (spine validate names the fix)`,
    );
  }
  // Two tags holding one version are one release, dated by the first.
  const byVersion = new Map<string, Release>();
  for (const r of tagged) {
    const version = fileVersion.get(r.version) ?? r.version;
    const seen = byVersion.get(version);
    if (!seen || (r.date !== null && (seen.date === null || r.date < seen.date)))
      byVersion.set(version, { version, date: r.date });
  }
  return { releases: [...byVersion.values()], notes };
}

/** A spine source that is a directory on this machine (a clone), else undefined. */
export function localDir(cwd: string, spec: string): string | undefined {
  const path = spec.startsWith('file://') ? spec.slice('file://'.length) : spec;
  if (/^[a-z]+:/i.test(path) || path === 'embedded' || path.includes('@')) return undefined;
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  return existsSync(join(abs, '.git')) || existsSync(join(abs, 'HEAD')) ? abs : undefined;
}
