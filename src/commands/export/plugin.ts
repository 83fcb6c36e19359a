import { mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EXPORT_MARKER, parseExportMarker, pluginFiles } from '../../core/export/plugin-files.js';
import { reservedMarketplaceName } from '../../core/export/reserved-names.js';
import { isExecutableMode, modeFor } from '../../core/file-mode.js';
import type { FileChange } from '../../core/plan.js';
import type { Problem } from '../../core/problems.js';
import { UserError } from '../../errors.js';
import { applyChanges, insideRoot, readIfExists } from '../../io/fs.js';
import { readHookFiles, toolVersion } from '../../io/package-files.js';
import type { Output } from '../../output/output.js';
import { formatProblem } from '../../output/problems.js';
import { isSafeRelativePath } from '../../spine/tree.js';
import { describeSource, readSpine, type SpineRequest } from '../shared/read-spine.js';
import { exportHeadline, type SpineOrigin, whichSpine } from './which-spine.js';

export interface ExportPluginOptions extends SpineRequest {
  /** The marketplace directory; relative to cwd. */
  dir: string;
}

export interface ExportPluginResult {
  schemaVersion: 1;
  dir: string;
  /** `origin`: how the spine was chosen (--spine, the spine repo here, the team repo's lock). */
  spine: { name: string; version: string; source: string; origin: SpineOrigin };
  marketplace: string;
  plugin: string;
  /** `<plugin>@<marketplace>`, as `claude plugin install` takes it. */
  install: string;
  written: { path: string; action: FileChange['action'] }[];
  removed: string[];
  warnings: Problem[];
}

/** Writes the spine as a Claude Code plugin marketplace: all of it, or nothing. */
export async function exportPlugin(options: ExportPluginOptions): Promise<ExportPluginResult> {
  const dir = resolve(options.cwd, options.dir);
  const previous = readPreviousExport(dir, options.dir);
  const { request, origin } = await whichSpine(options);
  const { spine, source, warnings } = await readSpine(request);
  const reserved = reservedMarketplaceName(spine.manifest.name);
  if (reserved) throw new UserError(reserved, { file: 'spine.yaml' });
  const exported = pluginFiles(spine, {
    tool: toolVersion(),
    source: describeSource(source),
    hookFiles: readHookFiles(),
  });

  const changes: FileChange[] = [];
  for (const f of exported.files) {
    const before = readIfExists(join(dir, f.path));
    const executable = Boolean(f.executable);
    // Same bytes with the x bit the spine gives it: nothing to write.
    if (before?.equals(f.content) && isExecutableMode(statSync(join(dir, f.path)).mode) === executable)
      continue;
    changes.push({
      path: f.path,
      action: before ? 'update' : 'create',
      content: f.content,
      mode: modeFor(executable),
      note: 'export',
    });
  }
  const keep = new Set(exported.files.map((f) => f.path));
  const stale = previous.filter((p) => !keep.has(p) && readIfExists(join(dir, p)) !== undefined);

  const created = mkdirSync(dir, { recursive: true });
  try {
    applyChanges(dir, changes);
  } catch (error) {
    if (created) rmSync(created, { recursive: true, force: true });
    throw error;
  }
  // After the new files are in place: a failure here leaves a stale file, never a broken plugin.
  for (const path of stale) removeWithEmptyParents(dir, path);
  return {
    schemaVersion: 1,
    dir,
    spine: {
      name: spine.manifest.name,
      version: spine.manifest.version,
      source: describeSource(source),
      origin,
    },
    marketplace: exported.marketplace,
    plugin: exported.plugin,
    install: `${exported.plugin}@${exported.marketplace}`,
    written: changes.map((c) => ({ path: c.path, action: c.action })),
    removed: stale,
    warnings,
  };
}

/**
 * The files a previous export wrote. A directory that is neither empty (a bare `.git` counts as
 * empty: a fresh repository for the marketplace) nor a previous export is refused.
 */
function readPreviousExport(dir: string, given: string): string[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new UserError('not a directory', { file: given });
    entries = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  if (entries.every((e) => e === '.git')) return [];
  const markerFile = join(given, EXPORT_MARKER);
  const text = readIfExists(join(dir, EXPORT_MARKER));
  if (text === undefined) {
    throw new UserError(
      `directory is not empty and holds no previous export (${EXPORT_MARKER}); choose an empty or new directory`,
      { file: given },
    );
  }
  const marker = parseExportMarker(text.toString('utf8'));
  if (typeof marker === 'string') throw new UserError(marker, { file: markerFile });
  // Only paths an export can write: a hand-edited marker must not reach .git or anything else.
  const unsafe = marker.files.find(
    (p) => !isSafeRelativePath(p) || !(p.startsWith('plugins/') || p.startsWith('.claude-plugin/')),
  );
  if (unsafe) throw new UserError(`unsafe path in "files": ${unsafe}`, { file: markerFile });
  return marker.files;
}

function removeWithEmptyParents(root: string, path: string): void {
  rmSync(insideRoot(root, path), { force: true });
  let current = dirname(join(root, path));
  while (current.length > root.length && readdirSync(current).length === 0) {
    rmdirSync(current);
    current = dirname(current);
  }
}

export async function runExportPlugin(options: ExportPluginOptions, out: Output): Promise<void> {
  const result = await exportPlugin(options);
  if (out.isJson) return out.json(result);
  out.err(exportHeadline(result.spine));
  for (const w of result.warnings) out.err(formatProblem(w, out.color));
  const { name, version } = result.spine;
  const changed = result.written.length + result.removed.length;
  out.out(
    changed
      ? `exported ${name} v${version} to ${options.dir}: ${result.written.length} file(s) written, ${result.removed.length} removed`
      : `${options.dir} already holds ${name} v${version}: nothing to write`,
  );
  out.out(`try it: claude plugin marketplace add ${options.dir} && claude plugin install ${result.install}`);
}
