import type { LockSource } from '../../core/lock/lock.js';
import type { Problem } from '../../core/problems.js';
import { UserError } from '../../errors.js';
import type { BaseOptions } from '../../options.js';
import { sourceProgress } from '../../output/source-progress.js';
import { loadEmbeddedSpine } from '../../spine/embedded-snapshot.js';
import type { Spine } from '../../spine/model.js';
import { resolveSpineSource } from '../../spine/sources/resolve.js';
import { throwOnErrors } from '../../team/parse-team.js';

export interface SpineRequest extends BaseOptions {
  /** Spine source; default: the embedded spine. */
  spine?: string;
  ref?: string;
  offline: boolean;
}

export interface ReadSpine {
  spine: Spine;
  source: LockSource;
  warnings: Problem[];
}

/** A spine, resolved from its source and fully loaded; an invalid one is bad input (exit 2). */
export async function readSpine(options: SpineRequest): Promise<ReadSpine> {
  const { tree, source, releaseMismatch, skippedReleases } = await resolveSpineSource({
    spec: options.spine,
    ref: options.ref,
    cwd: options.cwd,
    offline: options.offline,
    cacheDir: options.cacheDir,
    onProgress: sourceProgress(options.json),
  });
  refuseReleaseMismatch(releaseMismatch);
  // The embedded spine comes from the build's snapshot: no YAML parser or schema is loaded for it.
  // Any other is memoised by its exact content (a spine version is immutable): an export, a
  // rollout onboarding repository after repository, pays for YAML and schemas once.
  const loaded =
    source.spec === 'embedded'
      ? await loadEmbeddedSpine(tree)
      : await (await import('../../spine/load-cached.js')).loadSpineCached(tree, options.cacheDir);
  const warnings = [...(skippedReleases ?? []), ...throwOnErrors(loaded.problems)];
  return { spine: loaded.spine!, source, warnings };
}

/** The source as people name it: `embedded`, a path, or `<spec>@<ref>`. */
export function describeSource(source: LockSource): string {
  return source.ref ? `${source.spec}@${source.ref}` : source.spec;
}

/**
 * A release tag whose spine.yaml names another version would be locked under the file's number
 * while the fleet counts tags: refused before anything is written (exit 2).
 */
export function refuseReleaseMismatch(mismatch: Problem | undefined): void {
  if (mismatch)
    throw new UserError(mismatch.message, {
      file: mismatch.file,
      line: mismatch.line,
      column: mismatch.column,
    });
}
