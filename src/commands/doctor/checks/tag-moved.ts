import { LOCK_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

/** A release tag now names another commit: released content changed under the same version. */
export const tagMoved: Check = {
  code: 'tag-moved',
  check: (ctx) => {
    const moved = ctx.source?.tagMoved;
    if (!moved) return [];
    return [
      finding(
        'tag-moved',
        'error',
        'source',
        LOCK_FILE,
        `tag ${moved.tag} moved: locked at ${moved.locked.slice(0, 12)}, now ${moved.now.slice(0, 12)}`,
        'ask the spine owners to restore the tag: a release must never change',
      ),
    ];
  },
};
