import type { Spine, ToolchainGroup } from '../../spine/model.js';

/**
 * The toolchain groups a repo gets: every `always` group, each group one of whose manifests the
 * repo has, and each group the lock already records (a group once enabled stays until the team
 * removes its entries). Returned in the spine's order, so rendering is stable.
 */
export function enabledToolchains(
  spine: Spine,
  manifests: ReadonlySet<string>,
  locked: ReadonlySet<string> = new Set(),
): string[] {
  return spine.toolchains
    .filter((g) => g.always || locked.has(g.id) || g.manifests.some((m) => manifests.has(m)))
    .map((g) => g.id);
}

/** The groups among `ids`, in the spine's order; an id the spine no longer has is dropped. */
export function toolchainGroups(spine: Spine, ids: readonly string[] | undefined): ToolchainGroup[] {
  if (!ids) return [];
  const wanted = new Set(ids);
  return spine.toolchains.filter((g) => wanted.has(g.id));
}

/** The toolchain ids a lock's settings entries belong to. */
export function lockedToolchains(spine: Spine, lockedIds: Iterable<string>): Set<string> {
  const groups = new Set(spine.toolchains.map((g) => g.id));
  return new Set([...lockedIds].filter((id) => groups.has(id)));
}

/** Every file name a manifest of some group may have: what the repo scan looks for. */
export function manifestNames(spine: Spine): Set<string> {
  return new Set(spine.toolchains.flatMap((g) => g.manifests));
}
