import { LOCK_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

/** The locked commit is gone from the spine (history rewritten): the lock cannot be verified. */
export const lockCommitMissing: Check = {
  code: 'lock-commit-missing',
  check: (ctx) =>
    ctx.source?.commitExists === false
      ? [
          finding(
            'lock-commit-missing',
            'error',
            'source',
            LOCK_FILE,
            `the locked commit ${ctx.lock.source.commit} is missing from the spine ${ctx.lock.source.url ?? ctx.lock.source.spec}`,
            'ask the spine owners why history was rewritten, then run spine update to a release that exists',
          ),
        ]
      : [],
};
