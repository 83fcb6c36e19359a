import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['node_modules', 'target', 'vendor', 'dist', 'build', 'venv', '__pycache__']);
const MAX_DEPTH = 2;
const MAX_DIRS = 2000;

/**
 * Which of `names` exist as files in the repo: at its root and up to two directories down (a
 * monorepo's `packages/api/package.json`), hidden directories, dependency and build folders
 * skipped, symlinks never followed, at most 2,000 directories read. Only names come back: a
 * manifest's content is never read, so nothing in it can steer spine.
 */
export function findManifests(root: string, names: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  let budget = MAX_DIRS;
  const walk = (dir: string, depth: number) => {
    if (budget-- <= 0) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isFile() && names.has(e.name)) found.add(e.name);
      else if (e.isDirectory() && depth < MAX_DEPTH && !e.name.startsWith('.') && !SKIP.has(e.name))
        walk(join(dir, e.name), depth + 1);
    }
  };
  walk(root, 0);
  return found;
}
