import { UserError } from '../../errors.js';
import { gitTopLevel } from '../../io/git.js';
import { fillTemplate, readTemplate } from '../../io/package-files.js';
import { readInRepo, withRepoWriter } from '../../io/transaction/index.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { skillNameProblem } from '../../spine/skill-rules.js';

export interface SkillNewOptions extends BaseOptions {
  name: string;
  description?: string;
}

export interface SkillNewResult {
  schemaVersion: 1;
  path: string;
}

/** Scaffolds .claude/skills/<name>/SKILL.md from the template, valid by construction. */
export async function skillNew(options: SkillNewOptions): Promise<SkillNewResult> {
  const nameProblem = skillNameProblem(options.name);
  if (nameProblem) throw new UserError(nameProblem, { file: options.name });
  const description =
    options.description ?? `TODO: say what ${options.name} does and when the agent should use it.`;
  if (/[<>]/.test(description) || description.length > 1024) {
    throw new UserError('description must be at most 1024 characters, without < or >', {
      file: '--description',
    });
  }
  const root = (await gitTopLevel(options.cwd)) ?? options.cwd;
  const path = `.claude/skills/${options.name}/SKILL.md`;
  if (readInRepo(root, path) !== undefined) throw new UserError('skill already exists', { file: path });
  const title = options.name
    .split('-')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
  const content = fillTemplate(readTemplate('skill/SKILL.md'), {
    NAME: options.name,
    DESCRIPTION: JSON.stringify(description),
    TITLE: title,
  });
  await withRepoWriter(root, { command: 'skill new', stateDir: options.stateDir }, async (writer) => {
    if (readInRepo(root, path) !== undefined) throw new UserError('skill already exists', { file: path });
    writer.apply([{ path, content: Buffer.from(content) }]);
  });
  return { schemaVersion: 1, path };
}

export async function runSkillNew(options: SkillNewOptions, out: Output): Promise<void> {
  const result = await skillNew(options);
  if (out.isJson) return out.json(result);
  out.out(
    `created ${result.path}: fill in the description and steps; "spine contribute ${options.name}" shares it.`,
  );
}
