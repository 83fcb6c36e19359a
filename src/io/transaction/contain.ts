import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { forbiddenPath } from '../../core/managed-paths.js';
import { UserError } from '../../errors.js';

/** Where a repo-relative path really lands, or the link that would lead it out of its root. */
export type Contained = { path: string; rel: string } | { outsideVia: string; target: string };

const realRoots = new Map<string, string>();

function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    real = realpathSync(root);
    realRoots.set(root, real);
  }
  return real;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves `rel` under `root` component by component, following each symlink that exists, and
 * reports the first link whose target leaves the root. Missing components are taken literally:
 * creating them stays inside. Links that stay inside are followed, so a write through
 * `CLAUDE.md → AGENTS.md` lands in AGENTS.md and the link is kept.
 */
export function resolveInside(root: string, rel: string): Contained {
  const base = realRoot(root);
  const clean = normalize(rel);
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) {
    throw new UserError('refusing a path outside the repository', { file: rel });
  }
  let current = base;
  const parts = clean.split(sep).filter((p) => p !== '' && p !== '.');
  for (let i = 0; i < parts.length; i++) {
    const next = join(current, parts[i]!);
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(next);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      current = join(next, ...parts.slice(i + 1));
      break;
    }
    if (stat.isSymbolicLink()) {
      const target = linkTarget(next);
      if (!isInside(base, target)) return { outsideVia: relative(base, next), target };
      current = target;
    } else {
      current = next;
    }
  }
  return { path: current, rel: relative(base, current) };
}

/** A link's final target; a dangling one resolves lexically (what a write would create). */
function linkTarget(link: string): string {
  try {
    return realpathSync(link);
  } catch {
    return resolve(dirname(link), readlinkSync(link));
  }
}

/**
 * The real absolute path to write `rel` to. A symlink out of the root is refused (exit 2), and so
 * is one that leads into git's own directory or onto personal settings: no link the agent plants
 * turns a spine write into a git hook.
 */
export function writeTarget(root: string, rel: string): { path: string; rel: string } {
  const found = resolveInside(root, rel);
  if ('outsideVia' in found) {
    throw new UserError(
      `refusing to write through a symlink that leads out of the repository (to ${found.target}); replace the link with a file or directory, or a link inside the repository`,
      { file: found.outsideVia },
    );
  }
  const forbidden = found.rel === '' ? undefined : forbiddenPath(found.rel.split(sep).join('/'));
  if (forbidden) {
    throw new UserError(
      `refusing to write ${found.rel === normalize(rel) ? 'here' : `through a symlink to ${found.rel}`}: the path ${forbidden}`,
      { file: rel },
    );
  }
  return found;
}

/** The real absolute path to read `rel` from, or undefined when a link leads out of the root. */
export function readTarget(root: string, rel: string): string | undefined {
  const found = resolveInside(root, rel);
  return 'outsideVia' in found ? undefined : found.path;
}

/**
 * Whether `rel` is a regular file reached through no symlink, itself included: what spine may
 * remove. Removing through a link would delete the link's target, which the agent may have chosen.
 */
export function isPlainFileInRepo(root: string, rel: string): boolean {
  const found = resolveInside(root, rel);
  if ('outsideVia' in found || found.rel !== normalize(rel)) return false;
  try {
    return lstatSync(found.path).isFile();
  } catch {
    return false;
  }
}

/** The bytes at `rel` under `root`, or undefined when missing or behind a link out of the root. */
export function readInRepo(root: string, rel: string): Buffer | undefined {
  const path = readTarget(root, rel);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The bytes at `rel` and whether it has an x bit, resolving the path once; undefined when missing. */
export function readInRepoWithMode(
  root: string,
  rel: string,
): { content: Buffer; executable: boolean } | undefined {
  const path = readTarget(root, rel);
  if (path === undefined) return undefined;
  try {
    return { content: readFileSync(path), executable: (statSync(path).mode & 0o111) !== 0 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The mode of the file at `rel`, or undefined when missing or behind a link out of the root. */
export function modeInRepo(root: string, rel: string): number | undefined {
  const path = readTarget(root, rel);
  if (path === undefined) return undefined;
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Whether the file at `rel` has an x bit; false when missing or behind a link out of the root. */
export function executableInRepo(root: string, rel: string): boolean {
  return ((modeInRepo(root, rel) ?? 0) & 0o111) !== 0;
}
