import { contentHash } from '../../../core/hash.js';
import { ZONES_FILE, zoneMapFile } from '../../../core/zones/zone-map.js';
import { type Check, finding } from '../check.js';
import type { DoctorContext } from '../context.js';

/**
 * The bytes the zone map should have: rendered from local.yaml (and CODEOWNERS) as they are now;
 * an empty map when the lock has one but no team is declared any more (update removes the file).
 */
export function wantedZoneMap(ctx: DoctorContext): Buffer | undefined {
  const rendered = ctx.desired.files.find((f) => f.path === ZONES_FILE)?.content;
  if (rendered) return rendered;
  return ctx.lock.files[ZONES_FILE] ? zoneMapFile({ zonesVersion: 1, teams: [], rules: [] }) : undefined;
}

/**
 * The hook's zone map (`.claude/hooks/spine-zones.json`) does not say what `.spine/local.yaml`
 * `teams:` (and CODEOWNERS) say now, or was edited: records are labelled with the wrong team.
 * A warning: a zone map labels records and never reaches a guardrail's decision.
 */
export const zoneMapStale: Check = {
  code: 'zone-map-stale',
  check: (ctx) => {
    const wanted = wantedZoneMap(ctx);
    if (!wanted) return [];
    const current = ctx.managed.get(ZONES_FILE);
    const locked = ctx.lock.files[ZONES_FILE]?.hash;
    if (current?.equals(wanted) && locked === contentHash(wanted)) return [];
    const message =
      current === undefined
        ? 'the team zone map is missing: audit records carry no team zone'
        : locked !== undefined && contentHash(current) !== locked
          ? 'the team zone map was edited: audit records may carry the wrong team zone'
          : 'the team zone map is out of date with .spine/local.yaml teams (or CODEOWNERS): audit records carry the old zones';
    return [
      finding(
        'zone-map-stale',
        'warning',
        'hooks',
        ZONES_FILE,
        message,
        'run spine doctor --fix to write it from .spine/local.yaml (and CODEOWNERS)',
      ),
    ];
  },
  fix: () => [{ kind: 'write-zone-map' }],
};
