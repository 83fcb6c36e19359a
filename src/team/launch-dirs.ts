import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { type LaunchDirConfig, type Selection, selectLaunchDirs } from '../core/launch-dirs/select.js';
import {
  declaredMembers,
  hasTomlManifest,
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
  const texts: Record<string, string> = {};
  for (const file of WORKSPACE_FILES) {
    const content = readInRepo(root, file);
    if (content) texts[file] = content.toString('utf8');
  }
  // smol-toml is loaded only for a repository with a TOML manifest.
  const parseToml = hasTomlManifest(texts) ? (await import('smol-toml')).parse : undefined;
  const { declared, problems } = declaredMembers(texts, parseToml);
  // The caller's listing (doctor reads one for everything), else the same files from git.
  const files = listing
    ? await listing.then(({ index, untracked }) => [...new Set([...index, ...untracked])])
    : [
        ...new Set(
          (await git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']))
            .split('\0')
            .filter(Boolean),
        ),
      ];
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
