import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { installPaths, type ManagedSettings, managedSettings } from '../../core/export/managed-settings.js';
import { marketplaceSource } from '../../core/export/marketplace-source.js';
import type { Problem } from '../../core/problems.js';
import { UserError } from '../../errors.js';
import { writeAtomic } from '../../io/fs.js';
import type { Output } from '../../output/output.js';
import { formatProblem } from '../../output/problems.js';
import { loadValidator } from '../../spine/validators.js';
import { describeSource, readSpine, type SpineRequest } from '../shared/read-spine.js';
import { exportHeadline, type SpineOrigin, whichSpine } from './which-spine.js';

export interface ExportManagedSettingsOptions extends SpineRequest {
  /** Write here (atomically) instead of stdout; relative to cwd. */
  out?: string;
  /** Also disable auto mode. */
  strict: boolean;
  /** Where `spine export plugin` was published: enable that plugin (github:…, a git URL, a directory). */
  pluginMarketplace?: string;
}

export interface ExportManagedSettingsResult {
  schemaVersion: 1;
  /** `origin`: how the spine was chosen (--spine, the spine repo here, the team repo's lock). */
  spine: { name: string; version: string; source: string; origin: SpineOrigin };
  strict: boolean;
  /** Absolute path written, when --out was given. */
  out?: string;
  settings: ManagedSettings;
  guardrails: string[];
  leftToProject: string[];
  install: { platform: string; file: string; dropIn: string }[];
  warnings: Problem[];
}

/** The spine's locked guardrails as an enterprise managed-settings file. */
export async function exportManagedSettings(
  options: ExportManagedSettingsOptions,
): Promise<ExportManagedSettingsResult> {
  const target = options.out === undefined ? undefined : resolve(options.cwd, options.out);
  if (target) assertWritableTarget(target, options.out!);
  const { request, origin } = await whichSpine(options);
  const { spine, source, warnings } = await readSpine(request);
  const pluginMarketplace =
    options.pluginMarketplace === undefined
      ? undefined
      : marketplaceSource(options.pluginMarketplace, (p) => resolve(options.cwd, p));
  if (pluginMarketplace?.source === 'directory')
    assertPluginExport(pluginMarketplace.path, options.pluginMarketplace!, spine.manifest.name);
  const exported = managedSettings(spine, { strict: options.strict, pluginMarketplace });
  // A known key with a bad value voids the whole file in the client: never ship one.
  const validate = await loadValidator('claude-settings');
  if (!validate(exported.settings)) {
    throw new Error(`managed settings fail the settings schema: ${JSON.stringify(validate.errors)}`);
  }
  if (target) writeAtomic(target, renderSettings(exported.settings));
  return {
    schemaVersion: 1,
    spine: {
      name: spine.manifest.name,
      version: spine.manifest.version,
      source: describeSource(source),
      origin,
    },
    strict: options.strict,
    out: target,
    settings: exported.settings,
    guardrails: exported.guardrails,
    leftToProject: exported.leftToProject,
    install: installPaths(),
    warnings,
  };
}

export function renderSettings(settings: ManagedSettings): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}

function assertWritableTarget(target: string, given: string): void {
  const parent = statOrUndefined(dirname(target));
  if (!parent?.isDirectory())
    throw new UserError('the directory to write into does not exist', { file: given });
  if (statOrUndefined(target)?.isDirectory())
    throw new UserError('is a directory, not a file', { file: given });
}

/** A directory given as the marketplace must hold this spine's plugin export. */
function assertPluginExport(dir: string, given: string, name: string): void {
  const file = join(dir, '.claude-plugin/marketplace.json');
  const shown = join(given, '.claude-plugin/marketplace.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`no plugin marketplace here: run spine export plugin ${given} first`, {
      file: shown,
    });
  }
  let market: { name?: unknown };
  try {
    market = JSON.parse(text);
  } catch (error) {
    throw new UserError(`not valid JSON (${(error as Error).message})`, { file: shown });
  }
  if (market?.name !== name)
    throw new UserError(
      `the marketplace is "${String(market?.name)}", not this spine's ("${name}"): export this spine's plugin there`,
      { file: shown },
    );
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

export async function runExportManagedSettings(
  options: ExportManagedSettingsOptions,
  out: Output,
): Promise<void> {
  const result = await exportManagedSettings(options);
  if (out.isJson) return out.json(result);
  out.err(exportHeadline(result.spine));
  for (const w of result.warnings) out.err(formatProblem(w, out.color));
  // Without --out, stdout is the settings document alone, ready to redirect.
  if (result.out) out.err(`wrote ${result.out}`);
  else out.out(renderSettings(result.settings).trimEnd());
  const { name, version } = result.spine;
  out.err(
    `${name} v${version}: ${result.guardrails.length} locked guardrail(s) as managed settings` +
      (result.leftToProject.length
        ? `; ${result.leftToProject.length} default guardrail(s) stay in project settings`
        : ''),
  );
  out.err('install it as the managed settings file, or as a drop-in beside an existing one:');
  for (const p of result.install) out.err(`  ${p.platform}: ${p.file}  (drop-in: ${p.dropIn})`);
  if (result.settings.enabledPlugins) {
    out.err(
      `enables the ${name} plugin: its hooks keep the audit where allowManagedHooksOnly is set (Claude Code 2.1.332 and later)`,
    );
  }
  out.err(
    'if the org already delivers managed settings from the admin console or MDM (plist/registry), the file is ignored: merge these keys there instead',
  );
}
