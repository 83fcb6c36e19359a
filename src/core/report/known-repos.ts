import { repoIdFromUrl } from '../repo-id.js';

/**
 * The repositories a report already has (given as paths or as facts), so that `--org` looks only
 * at the others. A repository is known by its forge path — owner or group path and name, from its
 * origin URL — because two GitLab projects may share a name in different subgroups. One without an
 * origin can only be known by its name.
 */
export interface KnownRepos {
  /** `acme/platform/api`, lower-cased. */
  paths: Set<string>;
  /** Names of repositories whose origin is unknown, lower-cased. */
  names: Set<string>;
}

export function createKnownRepos(): KnownRepos {
  return { paths: new Set(), names: new Set() };
}

/** Adds a repository the report has: its origin URL if it has one, its name otherwise. */
export function addKnownRepo(known: KnownRepos, repo: { name: string; remote?: string }): void {
  const id = repoIdFromUrl(repo.remote);
  if (id) known.paths.add(id.slice(id.indexOf('/') + 1).toLowerCase());
  else known.names.add(repo.name.toLowerCase());
}

/** Whether the forge's repository at `path` (`group/sub/name`) is one the report already has. */
export function isKnownRepo(known: KnownRepos, path: string): boolean {
  const lower = path.toLowerCase();
  return known.paths.has(lower) || known.names.has(lower.slice(lower.lastIndexOf('/') + 1));
}
