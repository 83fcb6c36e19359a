import type { Check } from '../check.js';

/** A secret file git would take with the next git add -A. */
export const secretNotIgnored: Check = {
  code: 'secret-not-ignored',
  check: (ctx) => ctx.repoFindings.filter((f) => f.code === 'secret-not-ignored'),
};
