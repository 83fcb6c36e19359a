import { LOCAL_FILE } from '../core/render/desired-state.js';
import {
  CODEOWNERS_PATHS,
  type CodeownersLine,
  MAX_CODEOWNERS_BYTES,
  parseCodeowners,
} from '../core/zones/codeowners.js';
import { buildZoneMap, type ZoneMap } from '../core/zones/zone-map.js';
import { UserError } from '../errors.js';
import { readInRepo } from '../io/transaction/index.js';
import { type LocalConfig, problemToError } from './parse-team.js';

/**
 * The repo's team zones from `.spine/local.yaml` `teams:` (and CODEOWNERS when it opts in), or
 * undefined when it declares none. Bad input — a team named twice, a pattern that does not parse,
 * a CODEOWNERS line that cannot be read, CODEOWNERS asked for but absent — is a UserError naming
 * file and line, thrown before anything is written.
 */
export async function readZoneMap(
  root: string,
  local: LocalConfig | undefined,
  localText = '',
): Promise<ZoneMap | undefined> {
  const teams = local?.teams;
  const scoped = (local?.waivers ?? []).some((w) => w.zone !== undefined);
  if (!teams?.zones?.length && !scoped) return undefined;
  // The YAML parser (for positions in messages) loads only for a repo that declares zones.
  const { parseYaml } = await import('../spine/yaml-file.js');
  const { locate } = parseYaml(LOCAL_FILE, localText);
  const known = new Set((teams?.zones ?? []).map((z) => z.team.toLowerCase()));
  for (const [i, waiver] of (local?.waivers ?? []).entries()) {
    if (waiver.zone === undefined || known.has(waiver.zone.toLowerCase())) continue;
    throw new UserError(
      `waiver of "${waiver.rule}" names zone "${waiver.zone}", which is no team in teams.zones`,
      { file: LOCAL_FILE, ...locate(['waivers', i, 'zone']) },
    );
  }
  if (!teams?.zones?.length) return undefined;
  const codeowners =
    teams.from === 'codeowners' ? readCodeowners(root, locate(['teams', 'from']).line) : undefined;
  const built = buildZoneMap(teams, locate, LOCAL_FILE, codeowners);
  if (built.problems.length > 0) throw problemToError(built.problems[0]!, undefined, built.problems.slice(1));
  return built.map;
}

function readCodeowners(root: string, line: number): { file: string; lines: CodeownersLine[] } {
  for (const file of CODEOWNERS_PATHS) {
    const content = readInRepo(root, file);
    if (content === undefined) continue;
    if (content.length > MAX_CODEOWNERS_BYTES)
      throw new UserError(`CODEOWNERS is larger than ${MAX_CODEOWNERS_BYTES} bytes (GitHub ignores it too)`, {
        file,
      });
    const parsed = parseCodeowners(file, content.toString('utf8'));
    if (parsed.problems.length > 0)
      throw problemToError(parsed.problems[0]!, 'CODEOWNERS line cannot be read', parsed.problems.slice(1));
    return { file, lines: parsed.lines };
  }
  throw new UserError(`teams.from is codeowners, but there is no ${CODEOWNERS_PATHS.join(', ')}`, {
    file: LOCAL_FILE,
    line,
  });
}
