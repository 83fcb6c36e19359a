import { type Check, finding } from '../check.js';
import type { DoctorContext } from '../context.js';

/** Names of the skills the lock manages: spine's own, never a local skill. */
export function managedSkillNames(ctx: DoctorContext): Set<string> {
  return new Set(
    Object.entries(ctx.lock.files)
      .filter(([, f]) => f.kind === 'skill')
      .map(([path]) => path.split('/')[2]!),
  );
}

/**
 * A team skill the spine does not have: something other teams might reuse. A symlinked folder
 * counts as the folder it points to; one that leads out of the repo is loaded by the client but
 * is no part of the repo, so it is named as such (contribute refuses to read through it).
 */
export const localSkill: Check = {
  code: 'local-skill',
  check: (ctx) => {
    const managed = managedSkillNames(ctx);
    return ctx.skillFolders
      .filter((f) => f.state !== 'broken' && !managed.has(f.name))
      .map((f) =>
        f.state === 'inside'
          ? finding(
              'local-skill',
              'info',
              'skills',
              `.claude/skills/${f.name}/SKILL.md`,
              `local skill ${f.name} is not in the spine: a candidate to contribute`,
              `if other teams could use it, run spine contribute ${f.name}`,
            )
          : finding(
              'local-skill',
              'info',
              'skills',
              `.claude/skills/${f.name}`,
              `local skill ${f.name} lives outside the repository (${f.link ? `a symlink to ${f.link}` : 'through a symlinked .claude/skills'}): Claude Code loads it here, but a clone of the repo does not have it`,
              'move the skill into the repository (the link may point inside it) to share it with the repo, or to contribute it',
            ),
      );
  },
};
