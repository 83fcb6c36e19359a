import { writableFromSandbox } from '../../../core/sandbox/store-exposure.js';
import { type Check, finding } from '../check.js';
import { sandboxWriteLists } from './sandbox-write-lists.js';

const ALLOW_WRITE_KEY = 'sandbox.filesystem.allowWrite[]:';

/**
 * A directory on the PATH of the person running doctor — and so of the client and the hooks it
 * starts — where the sandbox lets the agent write: a `node` planted there runs spine's hook (its
 * command is `node …/spine-hook.cjs`, resolved through PATH), a `git` runs when spine or the
 * person calls git, both outside the sandbox. Not fixable by --fix: PATH is the person's env.
 */
export const sandboxWritesPath: Check = {
  code: 'sandbox-writes-path',
  check: (ctx) => {
    if (!ctx.machine?.path || ctx.machine.path.length === 0) return [];
    const lists = sandboxWriteLists(ctx.effective);
    if (!lists) return [];
    const exposed = writableFromSandbox(ctx.machine.path, {
      ...lists,
      home: ctx.machine.home,
      projectDir: ctx.root,
    });
    const seen = new Set<string>();
    return exposed.flatMap(({ item, allowedBy }) => {
      // An entry reached through a link is checked as written and as resolved: one finding each.
      if (seen.has(item.entry)) return [];
      seen.add(item.entry);
      const group = allowedBy
        ? ctx.entries.find((e) => e.locked.key === `${ALLOW_WRITE_KEY}${allowedBy.entry}`)?.locked.id
        : undefined;
      const where = allowedBy
        ? `sandbox.filesystem.allowWrite "${allowedBy.entry}" in ${allowedBy.file}${group ? `, guardrail ${group}` : ''}`
        : 'it lies inside the project';
      const shown = item.entry === item.dir ? item.entry : `${item.entry} (${item.dir})`;
      return [
        finding(
          'sandbox-writes-path',
          'error',
          'sandbox',
          allowedBy?.file ?? '.claude/settings.json',
          `PATH entry ${shown} is writable from the sandbox (${where}) and under no denyWrite: a program the agent plants there would run outside the sandbox as you — a \`node\` there runs spine's hook, a \`git\` runs when you or spine call git`,
          `take the directory off PATH (or put it after the system directories and keep node and git out of it), or add "//${item.dir.replace(/^\/+/, '')}" to sandbox.filesystem.denyWrite in .claude/settings.local.json; doctor --fix cannot change your environment`,
          group ? { guardrail: group } : {},
        ),
      ];
    });
  },
};
