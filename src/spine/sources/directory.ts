import { type Dirent, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isExecutableMode } from '../../core/file-mode.js';
import { type Problem, problem } from '../../core/problems.js';
import { isInside, safeRealpath } from '../../io/real-path.js';
import type { SpineTree } from '../tree.js';

const SKIP = new Set(['.git', 'node_modules']);

/**
 * Reads every file of a spine directory; symlinks that resolve outside `within` (default: the
 * directory itself) are problems. A skill read from a team repo passes the repo, so its files may
 * link elsewhere in the repo. A link back to a folder being walked is a problem, not a loop.
 */
export function readSpineDirectory(dir: string, label: string, within?: string): SpineTree {
  const root = realpathSync(dir);
  const bound = within ? realpathSync(within) : root;
  const files = new Map<string, Buffer>();
  const executable = new Set<string>();
  const problems: Problem[] = [];
  const walking = new Set<string>();

  const addFile = (abs: string, rel: string) => {
    files.set(rel, readFileSync(abs));
    if (isExecutableMode(statSync(abs).mode)) executable.add(rel);
  };
  const walk = (abs: string, rel: string) => {
    if (walking.has(abs)) {
      problems.push(
        problem('symlink-loop', 'symlink leads back to a folder that contains it', {
          file: `${label}${rel}`,
        }),
      );
      return;
    }
    walking.add(abs);
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      walking.delete(abs);
      return;
    }
    for (const entry of entries) {
      if (SKIP.has(entry.name)) continue;
      const childAbs = join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        const target = safeRealpath(childAbs);
        if (!target || !isInside(bound, target)) {
          const where = within ? 'the repository' : 'the spine';
          const message = target
            ? `symlink points outside ${where}`
            : 'symlink leads nowhere (its target is missing)';
          problems.push(problem('symlink-escape', message, { file: `${label}${childRel}` }));
          continue;
        }
        if (statSync(target).isDirectory()) walk(target, childRel);
        else addFile(target, childRel);
      } else if (entry.isDirectory()) {
        walk(childAbs, childRel);
      } else if (entry.isFile()) {
        addFile(childAbs, childRel);
      }
    }
    walking.delete(abs);
  };
  if (!lstatSync(root).isDirectory()) throw new Error(`${dir} is not a directory`);
  walk(root, '');
  return { label, files, executable, problems };
}
