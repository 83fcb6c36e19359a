import type { Lock, LockSource } from '../../core/lock/lock.js';
import { type Problem, problem } from '../../core/problems.js';
import { CI_WORKFLOW, type DesiredState } from '../../core/render/desired-state.js';
import { renderDesiredState } from '../../core/render/render.js';
import { enabledToolchains, lockedToolchains, manifestNames } from '../../core/render/toolchains.js';
import type { ZoneMap } from '../../core/zones/zone-map.js';
import { UserError } from '../../errors.js';
import { ciWorkflowContent, readHookFiles, toolVersion } from '../../io/package-files.js';
import { loadSpineCached } from '../../spine/load-cached.js';
import type { Spine } from '../../spine/model.js';
import { resolveSpineSource } from '../../spine/sources/resolve.js';
import { findManifests } from '../../team/manifests.js';
import { throwOnErrors } from '../../team/parse-team.js';
import { refuseReleaseMismatch } from '../shared/read-spine.js';

export interface SideRequest {
  root: string;
  lock: Lock;
  to?: string;
  team: string;
  /** The champion and repo id, for telemetry's resource attributes. */
  attribution?: { champion?: string; repo?: string };
  /** The team zones as local.yaml (and CODEOWNERS) say now: every side renders them alike. */
  zones?: ZoneMap;
  offline: boolean;
  cacheDir: string;
  /** Said on a terminal while a remote spine is fetched. */
  onProgress?: (message: string) => void;
}

export interface Sides {
  theirs: { spine: Spine; desired: DesiredState; source: LockSource };
  /** The locked version re-rendered; undefined (with a warning) when it cannot be. */
  base: DesiredState | undefined;
  warnings: Problem[];
}

/** The spec the lock names, in a form that resolves from the repo root. */
function lockedSpec(source: LockSource): string | undefined {
  if (source.spec === 'embedded') return undefined;
  return source.url ?? source.spec;
}

/**
 * The lock recorded which commit its tag named. The same tag naming another commit now means a
 * release changed under its version — upstream, or in the cached clone (`--offline` reads it as
 * it is) — and update would write whatever that commit says. Refused before it is even loaded.
 */
function refuseMovedTag(locked: LockSource, now: LockSource): void {
  if (!locked.commit || !locked.ref || now.ref !== locked.ref || !now.commit) return;
  if (now.commit === locked.commit) return;
  throw new UserError(
    `tag ${locked.ref} moved: the lock recorded ${locked.commit.slice(0, 12)}, the spine now says ${now.commit.slice(0, 12)}; a release must never change — ask the spine owners to restore the tag (run without --offline to refresh the cached clone)`,
    { file: '.spine/lock.json' },
  );
}

/** Reads the target version (default: the latest release) and re-renders the locked one. */
export async function loadSides(request: SideRequest): Promise<Sides> {
  const { root, lock } = request;
  const lockedIds = lock.settings.map((e) => e.id);
  const spec = lockedSpec(lock.source);
  const hookFiles = readHookFiles();
  // The workflow installs the tool version of the lock: the new one for theirs, the old for base.
  const workflowFor = (spine: Spine, version: string) =>
    lock.files[CI_WORKFLOW] ? ciWorkflowContent({ version, ...spine.manifest.tool }) : undefined;
  const resolved = await resolveSpineSource({
    spec,
    ref: request.to,
    cwd: root,
    offline: request.offline,
    cacheDir: request.cacheDir,
    onProgress: request.onProgress,
  });
  refuseReleaseMismatch(resolved.releaseMismatch);
  refuseMovedTag(lock.source, resolved.source);
  const loaded = await loadSpineCached(resolved.tree, request.cacheDir);
  const warnings = [...(resolved.skippedReleases ?? []), ...throwOnErrors(loaded.problems)];
  const spine = loaded.spine!;
  if (spine.manifest.name !== lock.spine.name) {
    throw new UserError(
      `the spine at ${resolved.source.ref ?? resolved.source.spec} is "${spine.manifest.name}", but this repo follows "${lock.spine.name}"`,
      { file: '.spine/lock.json' },
    );
  }
  const { attribution } = request;
  const toolchains = enabledToolchains(
    spine,
    findManifests(root, manifestNames(spine)),
    lockedToolchains(spine, lockedIds),
  );
  const desired = renderDesiredState({
    spine,
    team: request.team,
    attribution,
    hookFiles,
    zones: request.zones,
    ciWorkflow: workflowFor(spine, toolVersion()),
    toolchains,
  });
  // The same spine version as base, with the toolchains the lock has (a new manifest adds some).
  const lockedGroups = [...lockedToolchains(spine, lockedIds)];
  const sameAsLocked = () =>
    lockedGroups.length === toolchains.length
      ? desired
      : renderDesiredState({
          spine,
          team: request.team,
          attribution,
          hookFiles,
          zones: request.zones,
          ciWorkflow: workflowFor(spine, toolVersion()),
          toolchains: lockedGroups,
        });
  const theirs = { spine, desired, source: { ...resolved.source, spec: lock.source.spec } };

  let base: DesiredState | undefined;
  if (lock.source.commit && lock.source.commit === resolved.source.commit) {
    base = sameAsLocked();
  } else if (lock.source.commit) {
    try {
      // The target's resolve has just fetched: the locked commit is read from the same clone.
      const locked = await resolveSpineSource({
        spec,
        ref: lock.source.commit,
        cwd: root,
        offline: true,
        cacheDir: request.cacheDir,
      });
      const baseSpine = (await loadSpineCached(locked.tree, request.cacheDir)).spine;
      if (baseSpine)
        base = renderDesiredState({
          spine: baseSpine,
          team: request.team,
          attribution,
          hookFiles,
          zones: request.zones,
          ciWorkflow: workflowFor(baseSpine, lock.tool),
          toolchains: [...lockedToolchains(baseSpine, lockedIds)],
        });
    } catch {
      base = undefined;
    }
  } else if (spine.manifest.version === lock.spine.version) {
    // A directory or the embedded spine has no history: only the same version can be its base.
    base = sameAsLocked();
  }
  if (!base) {
    warnings.push(
      problem(
        'update-base-missing',
        `the locked version v${lock.spine.version} could not be rebuilt${lock.source.commit ? ` from ${lock.source.commit.slice(0, 12)}` : ''}; files edited here are merged two-way`,
        { file: '.spine/lock.json' },
        'warning',
      ),
    );
  }
  return { theirs, base, warnings };
}
