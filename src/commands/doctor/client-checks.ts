import { readFileSync } from 'node:fs';
import { maskEntries } from '../../core/client/credential-masks.js';
import {
  CREDENTIAL_MASK_SINCE,
  clientBelow,
  clientVersion,
  type InstalledClient,
} from '../../core/client/support.js';
import { type Problem, problem } from '../../core/problems.js';
import { type JsonFile, locateJson } from '../../core/settings/settings-json.js';
import { packagePath } from '../../io/package-files.js';

let knownKeys: Set<string> | undefined;

/**
 * The settings schema lets unknown top-level keys pass (Claude Code ignores them, and newer
 * versions add keys), so the validator never names them; doctor warns about them itself.
 */
export function unknownTopLevelKeys(json: JsonFile): Problem[] {
  if (!knownKeys) {
    const file = packagePath('schemas/vendor/claude-code-settings.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: Record<string, unknown> };
    knownKeys = new Set(['$schema', ...Object.keys(schema.properties)]);
  }
  return Object.keys(json.value)
    .filter((key) => !knownKeys!.has(key))
    .map((key) =>
      problem(
        'settings-unknown-key',
        `unknown key "${key}"`,
        { file: json.file, ...locateJson(json, [key]) },
        'warning',
      ),
    );
}

/**
 * A client older than `mask` rejects the value and with it the whole file (verified on 2.1.197),
 * though the schema spine ships knows it: such a file is void on this machine.
 */
export function unknownMaskMode(
  file: string,
  json: JsonFile,
  client: InstalledClient | undefined,
): Problem[] {
  if (!clientBelow(client, CREDENTIAL_MASK_SINCE)) return [];
  const first = maskEntries(json.value)[0];
  if (!first) return [];
  return [
    problem(
      'settings-dropped',
      `sandbox.credentials.${first.list}[${first.index}].mode "mask" is unknown to Claude Code ${clientVersion(client)}`,
      { file, ...locateJson(json, ['sandbox', 'credentials', first.list, first.index, 'mode']) },
    ),
  ];
}
