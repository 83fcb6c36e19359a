import picomatch from 'picomatch';
import type { DeclaredMembers } from './workspace-manifests.js';
import { normalisePattern } from './workspace-manifests.js';

/** A directory an agent may be started from, other than the repository root. */
export interface LaunchDir {
  /** POSIX path relative to the repository root, no trailing slash. */
  path: string;
  /** Why it is one: `npm/yarn workspace (package.json)`, `own CLAUDE.md`, `.spine/local.yaml`. */
  reasons: string[];
}

export interface SkippedDir {
  path: string;
  reason: string;
}

/** `.spine/local.yaml` `launchDirs`: the team's own additions and exclusions. */
export interface LaunchDirConfig {
  add?: string[];
  exclude?: string[];
  /** The most launch directories init writes without being told (default DEFAULT_MAX_LAUNCH_DIRS). */
  max?: number;
}

export const DEFAULT_MAX_LAUNCH_DIRS = 500;

export interface SelectInput {
  declared: DeclaredMembers[];
  /** Every file of the work tree (tracked and untracked, not ignored), repo-relative POSIX. */
  files: readonly string[];
  config?: LaunchDirConfig;
  /** For a path a workspace glob names that is not a directory of the listing: is it a link out? */
  linkOf?: (path: string) => 'outside' | 'inside' | undefined;
  /** Whether Nx is in use (nx.json at the root): then every `project.json` marks a project. */
  nx?: boolean;
}

export interface Selection {
  dirs: LaunchDir[];
  skipped: SkippedDir[];
  /** Set when more directories match than the cap allows: init refuses, naming the override. */
  overCap?: { count: number; max: number };
}

/** Directories nobody launches an agent from, whatever a glob says. */
const NEVER = /(^|\/)(node_modules|\.git|\.spine|\.claude|target|dist|build|vendor|__pycache__|\.venv)(\/|$)/;
const MARKERS: Record<string, string> = {
  'CLAUDE.md': 'own CLAUDE.md',
  'AGENTS.md': 'own AGENTS.md',
  '.claude': 'own .claude/',
};

/** Pure: the launch directories of a repository from its manifests, its files and the team's config. */
export function selectLaunchDirs(input: SelectInput): Selection {
  const dirs = directoriesOf(input.files);
  const reasons = new Map<string, Set<string>>();
  const add = (path: string, reason: string) => {
    if (path === '' || NEVER.test(path)) return;
    const set = reasons.get(path) ?? new Set<string>();
    reasons.set(path, set);
    set.add(reason);
  };
  const skipped: SkippedDir[] = [];
  const entries = new Set(input.files);

  const matchDirs = (patterns: string[], reason: string, exclude: string[] = []) => {
    if (patterns.length === 0) return;
    const isMatch = picomatch(patterns.map(normalisePattern), { dot: false });
    const isExcluded = exclude.length ? picomatch(exclude.map(normalisePattern)) : () => false;
    for (const dir of dirs) if (isMatch(dir) && !isExcluded(dir)) add(dir, reason);
    // A glob that names a listed file rather than a directory: a symlink git keeps as a file.
    for (const file of entries) {
      if (!isMatch(file) || isExcluded(file) || NEVER.test(file)) continue;
      const link = input.linkOf?.(file);
      if (link === 'outside') skipped.push({ path: file, reason: 'a symbolic link out of the repository' });
      else if (link === 'inside')
        skipped.push({ path: file, reason: 'a symbolic link (its target is guarded instead)' });
    }
  };

  for (const d of input.declared) matchDirs(d.include, `${d.kind} (${d.file})`, d.exclude);
  for (const file of input.files) {
    const parts = file.split('/');
    const claudeAt = parts.indexOf('.claude');
    if (claudeAt > 0) add(parts.slice(0, claudeAt).join('/'), MARKERS['.claude']!);
    const name = parts.at(-1)!;
    const dir = parts.slice(0, -1).join('/');
    if (name in MARKERS && claudeAt < 0) add(dir, MARKERS[name]!);
    if (input.nx && name === 'project.json') add(dir, 'Nx project (project.json)');
  }
  matchDirs(input.config?.add ?? [], 'added in .spine/local.yaml');

  const excluded = input.config?.exclude?.length
    ? picomatch(input.config.exclude.map(normalisePattern))
    : undefined;
  const result: LaunchDir[] = [];
  for (const [path, why] of reasons) {
    if (excluded?.(path)) skipped.push({ path, reason: 'excluded in .spine/local.yaml' });
    else result.push({ path, reasons: [...why].sort() });
  }
  result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const max = input.config?.max ?? DEFAULT_MAX_LAUNCH_DIRS;
  return {
    dirs: result,
    skipped,
    ...(result.length > max ? { overCap: { count: result.length, max } } : {}),
  };
}

/** Every directory that holds a listed file, at any depth (the root excluded). */
function directoriesOf(files: readonly string[]): Set<string> {
  const dirs = new Set<string>();
  for (const file of files) {
    let end = file.lastIndexOf('/');
    while (end > 0) {
      const dir = file.slice(0, end);
      if (dirs.has(dir)) break;
      dirs.add(dir);
      end = dir.lastIndexOf('/');
    }
  }
  return dirs;
}
