import { LOCK_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

/** A newer release exists (not checked with --offline: the cache may be stale). */
export const updateAvailable: Check = {
  code: 'update-available',
  check: (ctx) => {
    const ahead = ctx.source?.releasesAhead ?? 0;
    if (ctx.offline || ahead === 0 || !ctx.source?.latestRelease) return [];
    return [
      finding(
        'update-available',
        'info',
        'source',
        LOCK_FILE,
        `${ctx.source.latestRelease} is available (${ahead} release(s) ahead of ${ctx.lock.source.ref ?? ctx.lock.spine.version})`,
        `run spine update --to ${ctx.source.latestRelease}`,
      ),
    ];
  },
};
