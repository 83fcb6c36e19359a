import { type Problem, problem } from '../core/problems.js';
import { parseFrontmatter } from './frontmatter.js';

/** Agent Skills spec limits, which Claude Code itself does not enforce. */
export const SKILL_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SKILL_NAME_MAX = 64;
export const SKILL_DESCRIPTION_MAX = 1024;
export const SKILL_FILE_MAX_BYTES = 1_000_000;
/** Claude Code's default skillListingMaxDescChars: longer descriptions are cut in the model's list. */
export const SKILL_LISTING_MAX = 1536;

export function skillNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > SKILL_NAME_MAX)
    return `skill name must be 1-${SKILL_NAME_MAX} characters`;
  if (!SKILL_NAME.test(name)) {
    return `skill name "${name}" must be lowercase letters, digits and single hyphens, not starting or ending with a hyphen`;
  }
  return undefined;
}

export interface CheckedSkill {
  name: string;
  description: string;
  problems: Problem[];
}

/** Checks one SKILL.md against the Agent Skills spec; `file` is the path shown in messages. */
export function checkSkill(dirName: string, file: string, content: Buffer): CheckedSkill {
  const problems: Problem[] = [];
  // Severities follow the client (reference §4): what Claude Code loads anyway is a warning, kept
  // for portability to other Agent Skills clients; what stops it from loading or listing is an error.
  const nameProblem = skillNameProblem(dirName);
  if (nameProblem)
    problems.push(problem('skill-name', `${nameProblem} (Agent Skills spec)`, { file, line: 1 }, 'warning'));
  if (content.length > SKILL_FILE_MAX_BYTES) {
    problems.push(problem('skill-size', `SKILL.md is over ${SKILL_FILE_MAX_BYTES} bytes`, { file }));
  }
  const fm = parseFrontmatter(file, content.toString('utf8'));
  problems.push(...fm.problems);
  if (fm.problems.length > 0) return { name: dirName, description: '', problems };
  if (!fm.data) {
    problems.push(
      problem('skill-frontmatter', 'SKILL.md has no frontmatter (--- name, description ---)', {
        file,
        line: 1,
      }),
    );
    return { name: dirName, description: '', problems };
  }
  const { name, description } = fm.data;
  if (typeof name !== 'string' || name.length === 0) {
    problems.push(problem('skill-frontmatter', 'frontmatter "name" is required', { file, line: 2 }));
  } else if (name !== dirName) {
    problems.push(
      problem(
        'skill-name',
        `frontmatter name "${name}" differs from its directory name "${dirName}": Claude Code calls it /${dirName}; the Agent Skills spec wants them equal`,
        { file, line: lineOf(content, 'name:') },
        'warning',
      ),
    );
  }
  if (typeof description !== 'string' || description.trim().length === 0) {
    problems.push(problem('skill-frontmatter', 'frontmatter "description" is required', { file, line: 2 }));
  } else if (description.length > SKILL_DESCRIPTION_MAX) {
    problems.push(
      problem(
        'skill-description',
        `description is ${description.length} characters: the Agent Skills spec allows ${SKILL_DESCRIPTION_MAX}${description.length > SKILL_LISTING_MAX ? `, and Claude Code shows the model only the first ${SKILL_LISTING_MAX}` : ''}`,
        { file, line: lineOf(content, 'description:') },
        'warning',
      ),
    );
  } else if (/[<>]/.test(description)) {
    problems.push(
      problem(
        'skill-description',
        'description contains < or > (the Agent Skills validator refuses them)',
        { file, line: lineOf(content, 'description:') },
        'warning',
      ),
    );
  }
  const placeholder = PLACEHOLDERS.find((p) => p.test(content.toString('utf8')));
  if (placeholder) {
    problems.push(
      problem(
        'skill-placeholder',
        "still holds the scaffold's placeholder text (spine skill new): write the description, when to use it and its steps",
        { file, line: lineMatching(content, placeholder) },
      ),
    );
  }
  return { name: dirName, description: typeof description === 'string' ? description : '', problems };
}

/** Text `spine skill new` writes for the author to replace (templates/skill/SKILL.md). */
const PLACEHOLDERS = [
  /^description: "?TODO: say what /m,
  /^Describe the situations where the agent should reach for this skill\.$/m,
  /^1\. …$/m,
];

function lineMatching(content: Buffer, pattern: RegExp): number {
  const index = content
    .toString('utf8')
    .split('\n')
    .findIndex((l) => new RegExp(pattern.source).test(l));
  return index < 0 ? 1 : index + 1;
}

function lineOf(content: Buffer, needle: string): number {
  const index = content
    .toString('utf8')
    .split('\n')
    .findIndex((l) => l.startsWith(needle));
  return index < 0 ? 1 : index + 1;
}
