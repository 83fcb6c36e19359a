import type { Lock } from '../../core/lock/lock.js';
import { CI_WORKFLOW, type DesiredState, LOCK_FILE } from '../../core/render/desired-state.js';
import type { ZoneMap } from '../../core/zones/zone-map.js';
import { UserError } from '../../errors.js';
import { sourceProgress } from '../../output/source-progress.js';
import type { Spine } from '../../spine/model.js';
import type { ContextOptions, SourceStatus } from './context.js';

/** The spine version the lock names, rendered as init rendered it. */
export async function loadLockedSpine(
  lock: Lock,
  root: string,
  options: ContextOptions,
  team: string,
  attribution: { champion?: string; repo?: string },
  source: SourceStatus | undefined,
  zones?: ZoneMap,
): Promise<{ spine: Spine; desired: DesiredState }> {
  const [
    { resolveSpineSource },
    { loadSpineCached },
    { renderDesiredState },
    { readHookFiles, ciWorkflowContent },
    { problemToError },
  ] = await Promise.all([
    import('../../spine/sources/resolve.js'),
    import('../../spine/load-cached.js'),
    import('../../core/render/render.js'),
    import('../../io/package-files.js'),
    import('../../team/parse-team.js'),
  ]);
  const { tree } = await resolveSpineSource({
    spec: lock.source.spec,
    // A commit gone from the spine (reported as lock-commit-missing) leaves the ref to compare with.
    ref: source?.commitExists === false ? lock.source.ref : (lock.source.commit ?? lock.source.ref),
    cwd: root,
    offline: options.offline,
    cacheDir: options.cacheDir,
    onProgress: sourceProgress(Boolean(options.json)),
    ...(source?.opened ? { opened: source.opened } : {}),
  });
  const loaded = await loadSpineCached(tree, options.cacheDir);
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  if (!loaded.spine || errors.length > 0) {
    throw problemToError(errors[0]!, 'the locked spine is invalid', errors.slice(1));
  }
  const ciWorkflow = lock.files[CI_WORKFLOW]
    ? ciWorkflowContent({ version: lock.tool, ...loaded.spine.manifest.tool })
    : undefined;
  const { lockedToolchains } = await import('../../core/render/toolchains.js');
  const desired = renderDesiredState({
    spine: loaded.spine,
    team,
    attribution,
    hookFiles: readHookFiles(),
    ciWorkflow,
    // The zone map follows local.yaml as it is now; zone-map-stale says when the file lags.
    zones,
    // Doctor checks what init enabled (the lock); a new manifest is picked up by update.
    toolchains: [
      ...lockedToolchains(
        loaded.spine,
        lock.settings.map((e) => e.id),
      ),
    ],
  });
  return { spine: loaded.spine, desired };
}

/** Git sources only: is the locked commit still there, did its tag move, what was released since. */
export async function checkSource(
  lock: Lock,
  root: string,
  options: ContextOptions,
): Promise<SourceStatus | undefined> {
  if (!lock.source.commit) return undefined;
  const { checkLockedSource, openLockedSource } = await import('../../spine/integrity.js');
  const sourceOptions = {
    cwd: root,
    offline: options.offline,
    cacheDir: options.cacheDir,
    // The one fetch of the run (loadLockedSpine reads from this opening): a person sees it.
    onProgress: sourceProgress(Boolean(options.json)),
  };
  // Opened once: loadLockedSpine reads the locked commit from the same repository next.
  const opened = await openLockedSource(lock.source, sourceOptions);
  const check = await checkLockedSource(lock.source, sourceOptions, opened);
  if (!check.commitExists && !lock.source.ref) {
    throw new UserError(
      `the locked commit ${lock.source.commit} is gone from the spine and no ref is locked`,
      {
        file: LOCK_FILE,
      },
    );
  }
  return {
    commitExists: check.commitExists,
    tagMoved: check.tagMoved,
    latestRelease: check.latestRelease,
    releasesAhead: check.releasesAhead?.length,
    ...(opened ? { opened } : {}),
  };
}
