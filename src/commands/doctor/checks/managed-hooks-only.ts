import { type Check, finding } from '../check.js';
import { managedHooksOnlyGap } from '../client-checks.js';

/**
 * The repository wires spine's hooks, but this machine's managed settings let only managed hooks
 * run and nothing carries spine's: no audit record, no secret guard, for every session here.
 * Always an error: the repository looks guarded and is not (docs/export.md).
 */
export const managedHooksOnly: Check = {
  code: 'managed-hooks-only',
  check: (ctx) => {
    if (!ctx.entries.some((e) => e.entry.kind === 'hook')) return [];
    const gap = managedHooksOnlyGap(ctx.managedSettings, ctx.client, ctx.spine.manifest.name);
    if (!gap) return [];
    return [finding('managed-hooks-only', 'error', 'hooks', gap.file, gap.message, gap.fix)];
  },
};
