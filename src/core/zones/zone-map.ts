import { type Problem, problem } from '../problems.js';
import { teamNameProblem } from '../team-name.js';
import type { CodeownersLine } from './codeowners.js';
import { zoneGlob, zonePatternProblem } from './zone-pattern.js';

/** `.spine/local.yaml` `teams:` as written. */
export interface TeamsConfig {
  from?: 'codeowners';
  zones?: { team: string; champion?: string; paths?: string[]; owners?: string[] }[];
}

/**
 * What the hook reads (`.claude/hooks/spine-zones.json`): the teams, then the rules in order —
 * the last rule whose glob matches a path names its zone, as the last matching CODEOWNERS line
 * names its owners. CODEOWNERS lines come first, local.yaml's paths after, so local.yaml wins.
 */
export interface ZoneMap {
  zonesVersion: 1;
  teams: { team: string; champion?: string }[];
  rules: { team: string; glob: string }[];
}

export const ZONES_FILE = '.claude/hooks/spine-zones.json';

/** Finds a node of local.yaml for a message's line (parseYaml's locate). */
export type Locate = (path: (string | number)[]) => { line: number; column: number };

/**
 * The zone map of a repo, or problems at their file:line: a team named twice or badly, a pattern
 * that does not parse, a CODEOWNERS line that cannot be read. Undefined when no team is declared.
 */
export function buildZoneMap(
  teams: TeamsConfig | undefined,
  locate: Locate,
  localFile: string,
  codeowners?: { file: string; lines: CodeownersLine[] },
): { map?: ZoneMap; problems: Problem[] } {
  const problems: Problem[] = [];
  const zones = teams?.zones ?? [];
  if (zones.length === 0) return { problems };
  const at = (path: (string | number)[]) => ({ file: localFile, ...locate(['teams', ...path]) });
  const seen = new Map<string, number>();
  for (const [i, zone] of zones.entries()) {
    const cause = teamNameProblem(zone.team);
    if (cause) problems.push(problem('zones', cause, at(['zones', i, 'team'])));
    const key = zone.team.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      const line = at(['zones', first, 'team']).line;
      problems.push(
        problem(
          'zones',
          `team "${zone.team}" is listed twice (first on line ${line})`,
          at(['zones', i, 'team']),
        ),
      );
    } else seen.set(key, i);
    for (const [j, pattern] of (zone.paths ?? []).entries()) {
      const bad = zonePatternProblem(pattern);
      if (bad) problems.push(problem('zones', bad, at(['zones', i, 'paths', j])));
    }
  }
  if (problems.length > 0) return { problems };

  const rules: ZoneMap['rules'] = [];
  if (codeowners) {
    const owner = ownerIndex(zones);
    for (const line of codeowners.lines) {
      const team = line.owners.map((o) => owner.get(o.toLowerCase())).find((t) => t !== undefined);
      if (team) rules.push({ team, glob: zoneGlob(line.pattern) });
    }
  }
  for (const zone of zones)
    for (const pattern of zone.paths ?? []) rules.push({ team: zone.team, glob: zoneGlob(pattern) });
  return {
    map: {
      zonesVersion: 1,
      teams: zones.map((z) => ({ team: z.team, ...(z.champion ? { champion: z.champion } : {}) })),
      rules,
    },
    problems,
  };
}

/**
 * CODEOWNERS owner → team. A zone's `owners` when it lists them; otherwise `@<team>` and any
 * `@<org>/<team>` (GitHub's team handle), compared without case.
 */
function ownerIndex(zones: NonNullable<TeamsConfig['zones']>): { get(owner: string): string | undefined } {
  const exact = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const z of zones) {
    if (z.owners?.length) for (const o of z.owners) exact.set(o.toLowerCase(), z.team);
    else byName.set(z.team.toLowerCase(), z.team);
  }
  return {
    get: (owner) => {
      const hit = exact.get(owner);
      if (hit) return hit;
      const name = /^@(?:[^/]+\/)?(.+)$/.exec(owner)?.[1];
      return name === undefined ? undefined : byName.get(name);
    },
  };
}

/** The file the hook reads: stable bytes for the same map. */
export function zoneMapFile(map: ZoneMap): Buffer {
  return Buffer.from(`${JSON.stringify(map, null, 2)}\n`);
}
