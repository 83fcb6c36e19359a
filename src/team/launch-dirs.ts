import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { type LaunchDirConfig, type Selection, selectLaunchDirs } from '../core/launch-dirs/select.js';
import {
  declaredMembers,
  MANIFEST_FORMATS,
  type ManifestParsers,
  WORKSPACE_FILES,
} from '../core/launch-dirs/workspace-manifests.js';
import type { Problem } from '../core/problems.js';
import { git } from '../io/git.js';
import { isInside, safeRealpath } from '../io/real-path.js';
import { readInRepo } from '../io/transaction/index.js';
import type { GitListing } from './git-status-files.js';

export interface LaunchDirScan extends Selection {
  /** Workspace manifests that could not be read (warnings, naming the file). */
  problems: Problem[];
}

/**
 * The directories an agent may be launched from (docs/monorepos.md): workspace members of every
 * manifest at the root, and any directory with its own CLAUDE.md, AGENTS.md or .claude/. The
 * listing is git's (tracked and untracked files, ignored ones left out), so build output and
 * dependencies never count; nothing here follows a link out of the repository.
 */
export async function scanLaunchDirs(
  root: string,
  config?: LaunchDirConfig,
  listing?: Promise<GitListing>,
): Promise<LaunchDirScan> {
  // The caller's listing (doctor reads one for everything), else the same files from git, started
  // before anything here waits so that git lists while the caller goes on.
  const listed = listing
    ? listing.then(({ index, untracked }) => [...index, ...untracked])
    : git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).then((out) =>
        out.split('\0').filter(Boolean),
      );
  listed.catch(() => {}); // awaited below, unless reading a manifest fails first
  const texts: Record<string, string> = {};
  for (const file of WORKSPACE_FILES) {
    const content = readInRepo(root, file);
    if (content) texts[file] = content.toString('utf8');
  }
  const { declared, problems } = declaredMembers(texts, await manifestParsers(Object.keys(texts)));
  const files = [...new Set(await listed)];
  const selection = selectLaunchDirs({
    declared,
    files,
    config,
    nx: readInRepo(root, 'nx.json') !== undefined,
    linkOf: (path) => linkOf(root, path),
  });
  return { ...selection, problems };
}

function linkOf(root: string, path: string): 'outside' | 'inside' | undefined {
  try {
    if (!lstatSync(join(root, path)).isSymbolicLink()) return undefined;
  } catch {
    return undefined;
  }
  const real = safeRealpath(join(root, path));
  return real !== undefined && isInside(safeRealpath(root) ?? root, real) ? 'inside' : 'outside';
}

/** The parsers the present manifests need, each library loaded only then. */
async function manifestParsers(present: string[]): Promise<ManifestParsers> {
  const needs = (format: keyof ManifestParsers) =>
    present.some((f) => MANIFEST_FORMATS[f as keyof typeof MANIFEST_FORMATS] === format);
  const unused = () => {
    throw new Error('no manifest in this format was read');
  };
  return {
    yaml: needs('yaml') ? (await import('../spine/yaml-file.js')).parseYamlText : unused,
    toml: needs('toml') ? (await import('smol-toml')).parse : unused,
  };
}
