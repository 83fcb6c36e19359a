import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ThresholdsInput } from '../../core/report/thresholds.js';
import { loadValidator } from '../../spine/validators.js';
import { parseYaml } from '../../spine/yaml-file.js';
import { throwOnErrors } from '../../team/parse-team.js';
import { localDir } from './releases.js';

export const THRESHOLDS_FILE = 'report.yaml';

/**
 * The spine's own thresholds for the first screen: `report.yaml` at the root of a local clone of
 * the spine (`--spine <dir>`, or a lock source that is a local directory). None found: defaults.
 * A file that is not valid stops the report (file:line:col, exit 2) before anything is written.
 */
export async function thresholdsFromSpine(
  cwd: string,
  candidates: string[],
): Promise<ThresholdsInput | undefined> {
  for (const candidate of candidates) {
    const dir = localDir(cwd, candidate);
    const file = dir && join(dir, THRESHOLDS_FILE);
    if (!file || !existsSync(file)) continue;
    const shown = relative(cwd, file) || file;
    const parsed = parseYaml(shown, readFileSync(file, 'utf8'), await loadValidator('report'));
    throwOnErrors(parsed.problems);
    return parsed.value as ThresholdsInput;
  }
  return undefined;
}
