import type { LockSource } from '../../core/lock/lock.js';
import type { Problem } from '../../core/problems.js';
import type { BaseOptions } from '../../options.js';
import { sourceProgress } from '../../output/source-progress.js';
import { loadSpine } from '../../spine/load.js';
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
  const { tree, source } = await resolveSpineSource({
    spec: options.spine,
    ref: options.ref,
    cwd: options.cwd,
    offline: options.offline,
    cacheDir: options.cacheDir,
    onProgress: sourceProgress(options.json),
  });
  const loaded = await loadSpine(tree);
  const warnings = throwOnErrors(loaded.problems);
  return { spine: loaded.spine!, source, warnings };
}

/** The source as people name it: `embedded`, a path, or `<spec>@<ref>`. */
export function describeSource(source: LockSource): string {
  return source.ref ? `${source.spec}@${source.ref}` : source.spec;
}
