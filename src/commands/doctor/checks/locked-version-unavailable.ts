import { LOCK_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

/**
 * The source no longer holds the locked version (an embedded spine after a tool upgrade, or a
 * directory spine edited in place): doctor can compare but not restore spine content.
 */
export const lockedVersionUnavailable: Check = {
  code: 'locked-version-unavailable',
  check: (ctx) => {
    const now = ctx.spine.manifest;
    const locked = ctx.lock.spine;
    if (now.name === locked.name && now.version === locked.version) return [];
    return [
      finding(
        'locked-version-unavailable',
        'warning',
        'source',
        LOCK_FILE,
        `the spine source (${ctx.lock.source.spec}) now holds ${now.name} v${now.version}, not the locked ${locked.name} v${locked.version}`,
        `run spine update to move to v${now.version}`,
      ),
    ];
  },
};
