import { type Dirent, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isInside, safeRealpath } from '../io/real-path.js';

/** The skills folder of a team repo, as Claude Code reads it. */
export const SKILLS_DIR = '.claude/skills';

/**
 * One entry of `.claude/skills/` the client would look at. Claude Code follows a symlinked skill
 * folder wherever it points (inside the repo or out of it) and silently skips a link that leads
 * nowhere or to a file (verified with the real client, docs/doctor.md).
 */
export interface SkillFolder {
  name: string;
  /**
   * `inside`: a folder in the repo, or a link to one (`.claude/skills/x → ../../skills/x`): read
   * as the folder it points to. `outside`: the client loads it from outside the repo, so a clone
   * does not have it and spine does not read it. `broken`: a link to nothing or to a file.
   */
  state: 'inside' | 'outside' | 'broken';
  /** For a symlink: its target as written. */
  link?: string;
}

/** The entries of `.claude/skills/` by name; empty when the folder is absent or unreadable. */
export function listSkillFolders(root: string): SkillFolder[] {
  const dir = join(root, SKILLS_DIR);
  let entries: Dirent[];
  let realRoot: string;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
    realRoot = realpathSync(root);
  } catch {
    return [];
  }
  const out: SkillFolder[] = [];
  for (const entry of entries) {
    const abs = join(dir, entry.name);
    const link = entry.isSymbolicLink() ? readLink(abs) : undefined;
    if (!entry.isDirectory() && link === undefined) continue;
    const real = safeRealpath(abs) ?? abs;
    const isDir = link === undefined || isDirectory(real);
    const state = !isDir ? 'broken' : isInside(realRoot, real) ? 'inside' : 'outside';
    out.push({ name: entry.name, state, ...(link !== undefined ? { link } : {}) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
