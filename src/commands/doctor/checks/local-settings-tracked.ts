import type { Check } from '../check.js';

/** The personal settings file committed to git. */
export const localSettingsTracked: Check = {
  code: 'local-settings-tracked',
  check: (ctx) => ctx.repoFindings.filter((f) => f.code === 'local-settings-tracked'),
};
