import { type Dirent, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isExecutableMode } from '../../core/file-mode.js';
import { type Problem, problem } from '../../core/problems.js';
import { isInside, safeRealpath } from '../../io/real-path.js';
import type { SpineTree } from '../tree.js';

const SKIP = new Set(['.git', 'node_modules']);

/** Reads every file of a spine directory; symlinks that resolve outside it are problems. */
export function readSpineDirectory(dir: string, label: string): SpineTree {
  const root = realpathSync(dir);
  const files = new Map<string, Buffer>();
  const executable = new Set<string>();
  const problems: Problem[] = [];

  const addFile = (abs: string, rel: string) => {
    files.set(rel, readFileSync(abs));
    if (isExecutableMode(statSync(abs).mode)) executable.add(rel);
  };
  const walk = (abs: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (SKIP.has(entry.name)) continue;
      const childAbs = join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        const target = safeRealpath(childAbs);
        if (!target || !isInside(root, target)) {
          problems.push(
            problem('symlink-escape', 'symlink points outside the spine', { file: `${label}${childRel}` }),
          );
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
  };
  if (!lstatSync(root).isDirectory()) throw new Error(`${dir} is not a directory`);
  walk(root, '');
  return { label, files, executable, problems };
}
