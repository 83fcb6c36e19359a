import {
  closeSync,
  existsSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
} from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { compilePathGlob, type PathGlob } from './path-glob.js';

/** Larger than any zone map spine writes (a CODEOWNERS is at most 3 MB). */
const MAX_ZONES_BYTES = 4 * 1024 * 1024;

/**
 * A team name as spine accepts one (core/team-name.ts): a zone leaves the machine in spine's OTLP
 * records, so a file the agent wrote cannot smuggle text out through it.
 */
const TEAM_NAME = '^[\\p{L}\\p{N}][\\p{L}\\p{N} ._@+-]{0,79}$';
/** Most team names are ASCII: checked without compiling the Unicode tables on every event. */
const ASCII_TEAM_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,79}$/;
/**
 * Built on first use: a Unicode property class is expanded into its tables when the regular
 * expression is created, about half a millisecond, which a literal here would cost every event.
 */
let unicodeTeamName: RegExp | undefined;

function isTeamName(name: string): boolean {
  if (ASCII_TEAM_NAME.test(name)) return true;
  unicodeTeamName ??= new RegExp(TEAM_NAME, 'u');
  return unicodeTeamName.test(name);
}

/** The team zone of an absolute path: the last rule that matches, as in CODEOWNERS. */
export type ZoneOf = (path: string) => string | undefined;

/**
 * `spine-zones.json` beside the hook, or undefined when there is none. The file is in the repo,
 * so the agent may have written it: it is only ever used to label audit records, never read
 * before a decision, and anything wrong with it (a link, a FIFO, bad JSON, a glob that does not
 * compile) leaves records unlabelled with one line on stderr.
 */
export function readZones(
  path: string,
  projectDir: string,
  home: string,
  warn: (m: string) => void,
): ZoneOf | undefined {
  // Most repositories have none: asked without the cost of building an ENOENT error.
  if (!existsSync(path) && !isLink(path)) return undefined;
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      warn(
        `spine: spine-zones.json beside the hook cannot be read; records carry no zone (spine doctor --fix)`,
      );
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_ZONES_BYTES) throw new Error('not a regular file of a sane size');
    const map = JSON.parse(readFileSync(fd, 'utf8')) as { rules?: unknown };
    if (!Array.isArray(map.rules)) throw new Error('no rules');
    const rules = map.rules.filter(
      (r): r is { team: string; glob: string } =>
        !!r && typeof r === 'object' && typeof r.team === 'string' && typeof r.glob === 'string',
    );
    const zoneOf = zoneMatcher(rules, projectDir, home);
    // Checked on the zone a record gets, not on every rule of a large CODEOWNERS.
    return (path) => {
      const zone = zoneOf(path);
      return zone !== undefined && isTeamName(zone) ? zone : undefined;
    };
  } catch (error) {
    warn(
      `spine: spine-zones.json beside the hook is not a zone map (${(error as Error).message}); records carry no zone`,
    );
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A dangling link answers false to existsSync, and must still be reported. */
function isLink(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
}

/** Rules in order; each glob is compiled only when a path reaches it (last first). */
export function zoneMatcher(
  rules: { team: string; glob: string }[],
  projectDir: string,
  home: string,
): ZoneOf {
  const compiled = new Map<number, PathGlob | null>();
  const globAt = (i: number): PathGlob | null => {
    let glob = compiled.get(i);
    if (glob === undefined) {
      try {
        glob = compilePathGlob(rules[i]!.glob, { projectDir, home });
      } catch {
        glob = null;
      }
      compiled.set(i, glob);
    }
    return glob;
  };
  return (path) => {
    for (let i = rules.length - 1; i >= 0; i--) if (globAt(i)?.test(path)) return rules[i]!.team;
    return undefined;
  };
}

/**
 * The zone a record belongs to: the launch directory's when the session started in one that a
 * zone owns (a person works where they start); otherwise the zone of the file the call touches.
 */
export function zoneOfRecord(
  zoneOf: ZoneOf,
  ctx: { projectDir: string; launchDir?: string; cwd: string },
  input: unknown,
): string | undefined {
  if (ctx.launchDir) {
    const zone = zoneOf(`${ctx.projectDir.replace(/\/+$/, '')}/${ctx.launchDir}`);
    if (zone) return zone;
  }
  const path = touchedPath(input);
  return path ? zoneOf(isAbsolute(path) ? path : resolve(ctx.cwd, path)) : undefined;
}

function touchedPath(input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const i = input as Record<string, unknown>;
  for (const key of ['file_path', 'notebook_path', 'path'])
    if (typeof i[key] === 'string' && i[key] !== '') return i[key] as string;
  return undefined;
}
