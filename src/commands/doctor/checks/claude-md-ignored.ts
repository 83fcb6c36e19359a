import type { Check } from '../check.js';

/** A .gitignore that ignores CLAUDE.md: the spine block never reaches teammates. */
export const claudeMdIgnored: Check = {
  code: 'claude-md-ignored',
  check: (ctx) => ctx.repoFindings.filter((f) => f.code === 'claude-md-ignored'),
};
