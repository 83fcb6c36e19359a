import { memoJson, memoKey } from '../io/memo.js';
import type { LoadResult } from './load.js';
import type { Spine, SpineFile } from './model.js';
import { type SpineTree, spineFile } from './tree.js';

/** A file reference in the cached form: content comes back from the tree it was read from. */
type CachedFile = { path: string };

/**
 * loadSpine, memoised by the tree's exact content and file modes. A spine version is immutable,
 * so doctor and facts (which re-read the locked spine on every run, in every repo) pay for YAML
 * and schemas once. Content and the x bit come back from the tree itself, never from the cache.
 */
export async function loadSpineCached(tree: SpineTree, cacheDir: string | undefined): Promise<LoadResult> {
  const key = spineTreeKey(tree);
  const cached = await memoJson(cacheDir, 'spine', key, async () => {
    const { loadSpine } = await import('./load.js');
    const result = await loadSpine(tree);
    return { problems: result.problems, spine: result.spine && stripContent(result.spine) };
  });
  return { problems: cached.problems, spine: cached.spine && withContent(cached.spine as Spine, tree) };
}

/** A key for a spine tree: its label, reading problems, every path with its x bit and content. */
export function spineTreeKey(tree: SpineTree): string {
  const parts: string[] = [JSON.stringify(tree.problems)];
  for (const path of [...tree.files.keys()].sort())
    parts.push(path, tree.executable.has(path) ? 'x' : '-', memoKey(tree.files.get(path)!));
  return memoKey(tree.label, ...parts);
}

/** The spine without file contents, as it is stored (contents come back from the tree). */
export function stripContent(spine: Spine): Spine {
  const ref = (f: SpineFile) => ({ path: f.path }) as CachedFile as SpineFile;
  return {
    ...spine,
    skills: spine.skills.map((s) => ({ ...s, files: s.files.map(ref) })),
    agents: spine.agents.map((a) => ({ ...a, file: ref(a.file) })),
    commands: spine.commands.map((c) => ({ ...c, file: ref(c.file) })),
  };
}

export function withContent(spine: Spine, tree: SpineTree): Spine {
  const fill = (f: SpineFile) => spineFile(tree, f.path, tree.files.get(f.path)!);
  return {
    ...spine,
    skills: spine.skills.map((s) => ({ ...s, files: s.files.map(fill) })),
    agents: spine.agents.map((a) => ({ ...a, file: fill(a.file) })),
    commands: spine.commands.map((c) => ({ ...c, file: fill(c.file) })),
  };
}
