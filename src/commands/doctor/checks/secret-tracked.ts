import type { Check } from '../check.js';

/** A secret file in git's index or HEAD: the sandbox hides the file, not git's copy. */
export const secretTracked: Check = {
  code: 'secret-tracked',
  check: (ctx) => ctx.repoFindings.filter((f) => f.code === 'secret-tracked'),
};
