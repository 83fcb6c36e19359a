import type { Spine, SpineFile } from '../../spine/model.js';
import type { HookFile } from '../render/desired-state.js';
import { PLUGIN_HOOK_DIR, pluginHooks } from './plugin-hooks.js';

/** Marks a directory as written by `spine export plugin`, so a later export may replace it. */
export const EXPORT_MARKER = '.spine-export.json';

export interface ExportedFile {
  /** POSIX path relative to the marketplace root. */
  path: string;
  content: Buffer;
  /** A script that is executable in the spine stays executable in the plugin. */
  executable?: true;
}

export interface PluginExport {
  marketplace: string;
  plugin: string;
  version: string;
  /** Every file of the marketplace, the marker last. */
  files: ExportedFile[];
}

export interface ExportMarker {
  generator: 'spine';
  kind: 'claude-plugin-marketplace';
  tool: string;
  spine: { name: string; version: string };
  source: string;
  /** Files this export wrote, so the next one can remove what the spine no longer has. */
  files: string[];
}

/**
 * The spine as a Claude Code plugin marketplace holding one plugin: skills, agents and
 * commands verbatim, and spine's hook (`hookFiles`, the built scripts) wired like project settings
 * wire it. The hook reads the policy and writes the audit log of the onboarded repository it
 * runs in, so it only matters where project hooks cannot run (`allowManagedHooksOnly`).
 */
export function pluginFiles(
  spine: Spine,
  meta: { tool: string; source: string; hookFiles: readonly HookFile[] },
): PluginExport {
  const { name, version } = spine.manifest;
  const description =
    spine.manifest.description?.replace(/\s+/g, ' ').trim() ||
    `The ${name} spine: shared skills, agents and commands.`;
  const owner = { name: spine.manifest.owners.join(', ') || name };
  const root = `plugins/${name}`;
  const files: ExportedFile[] = [
    json('.claude-plugin/marketplace.json', {
      name,
      description,
      owner,
      plugins: [{ name, source: `./${root}`, version, description }],
    }),
    json(`${root}/.claude-plugin/plugin.json`, { name, version, description, author: owner }),
  ];
  const carried: SpineFile[] = [
    ...spine.skills.flatMap((s) => s.files),
    ...spine.agents.map((a) => a.file),
    ...spine.commands.map((c) => c.file),
  ];
  const hooks = pluginHooks(spine);
  if (hooks) {
    files.push(json(`${root}/hooks/hooks.json`, hooks));
    for (const hook of meta.hookFiles)
      files.push({ path: `${root}/${PLUGIN_HOOK_DIR}/${hook.name}`, content: hook.content });
  }
  for (const f of carried)
    files.push({
      path: `${root}/${f.path}`,
      content: f.content,
      ...(f.executable ? { executable: true as const } : {}),
    });
  const marker: ExportMarker = {
    generator: 'spine',
    kind: 'claude-plugin-marketplace',
    tool: meta.tool,
    spine: { name, version },
    source: meta.source,
    files: files.map((f) => f.path).sort(),
  };
  files.push(json(EXPORT_MARKER, marker));
  return { marketplace: name, plugin: name, version, files };
}

/** A marker read back from disk, or a reason it is not one. */
export function parseExportMarker(text: string): ExportMarker | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const m = value as Partial<ExportMarker> | null;
  if (m?.generator !== 'spine' || m.kind !== 'claude-plugin-marketplace') {
    return 'not a spine plugin export marker';
  }
  if (!Array.isArray(m.files) || m.files.some((f) => typeof f !== 'string')) {
    return '"files" must be a list of paths';
  }
  return m as ExportMarker;
}

function json(path: string, value: unknown): ExportedFile {
  return { path, content: Buffer.from(`${JSON.stringify(value, null, 2)}\n`) };
}
