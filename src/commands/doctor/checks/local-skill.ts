import { type Check, finding } from '../check.js';

/** A team skill the spine does not have: something other teams might reuse. */
export const localSkill: Check = {
  code: 'local-skill',
  check: (ctx) => {
    const managed = new Set(
      Object.entries(ctx.lock.files)
        .filter(([, f]) => f.kind === 'skill')
        .map(([path]) => path.split('/')[2]),
    );
    return ctx.skillDirs
      .filter((name) => !managed.has(name))
      .map((name) =>
        finding(
          'local-skill',
          'info',
          'skills',
          `.claude/skills/${name}/SKILL.md`,
          `local skill ${name} is not in the spine: a candidate to contribute`,
          `if other teams could use it, run spine contribute ${name}`,
        ),
      );
  },
};
