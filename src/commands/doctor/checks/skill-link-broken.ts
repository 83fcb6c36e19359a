import { type Check, finding } from '../check.js';
import { managedSkillNames } from './local-skill.js';

/** A symlink in .claude/skills/ that leads nowhere or to a file: Claude Code skips it silently. */
export const skillLinkBroken: Check = {
  code: 'skill-link-broken',
  check: (ctx) => {
    const managed = managedSkillNames(ctx);
    return ctx.skillFolders
      .filter((f) => f.state === 'broken' && !managed.has(f.name))
      .map((f) =>
        finding(
          'skill-link-broken',
          'warning',
          'skills',
          `.claude/skills/${f.name}`,
          `skill link ${f.name} points to ${f.link}, which is not a folder: Claude Code skips the skill without a word`,
          'point the link at the skill folder (relative to .claude/skills/), or remove it',
        ),
      );
  },
};
