import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorsOf, type Problem } from '../core/problems.js';
import { packagePath } from '../io/package-files.js';
import type { LoadResult } from './load.js';
import { spineTreeKey, stripContent, withContent } from './load-cached.js';
import type { Spine } from './model.js';
import type { SpineTree } from './tree.js';

/** The embedded spine, loaded and checked by the build (scripts/build-embedded-spine.mjs). */
export const EMBEDDED_SNAPSHOT = 'generated/embedded-spine.json';

interface Snapshot {
  snapshot: 1;
  key: string;
  /** Warnings only: a spine with errors fails the build. */
  problems: Problem[];
  spine: Spine;
}

/**
 * The embedded spine never changes after the build, which loads it through the full pipeline
 * (YAML, schemas, rules) and keeps the result: init and update then skip parsing and validating
 * the same bytes on every run. The snapshot is used only when it was made from exactly this tree
 * by exactly this build (the key covers every file, its x bit and the build id), and only by the
 * built package: code run from src/ (the tests) may be newer than the last build. Anything else —
 * an edited spine/ in the package, no snapshot, a stale one — loads the tree as any spine is loaded.
 */
export async function loadEmbeddedSpine(tree: SpineTree): Promise<LoadResult> {
  const snapshot = runsFromBuild() ? readSnapshot() : undefined;
  if (snapshot && snapshot.key === spineTreeKey(tree))
    return { problems: snapshot.problems, spine: withContent(snapshot.spine, tree) };
  const { loadSpine } = await import('./load.js');
  return loadSpine(tree);
}

/** The build's half: the snapshot's text, or an error naming what is wrong with the embedded spine. */
export async function snapshotEmbeddedSpine(tree: SpineTree): Promise<string> {
  const { loadSpine } = await import('./load.js');
  const { spine, problems } = await loadSpine(tree);
  if (!spine || errorsOf(problems).length > 0) {
    const lines = errorsOf(problems).map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    throw new Error(`the embedded spine does not load:\n${lines.join('\n')}`);
  }
  const snapshot: Snapshot = { snapshot: 1, key: spineTreeKey(tree), problems, spine: stripContent(spine) };
  return `${JSON.stringify(snapshot)}\n`;
}

function readSnapshot(): Snapshot | undefined {
  try {
    const parsed = JSON.parse(readFileSync(packagePath(EMBEDDED_SNAPSHOT), 'utf8')) as Partial<Snapshot>;
    if (
      parsed?.snapshot === 1 &&
      typeof parsed.key === 'string' &&
      Array.isArray(parsed.problems) &&
      parsed.spine
    )
      return parsed as Snapshot;
  } catch {
    // No snapshot (a build without it) or an unreadable one: load the tree.
  }
  return undefined;
}

function runsFromBuild(): boolean {
  return fileURLToPath(import.meta.url).startsWith(packagePath('dist/'));
}
