import type { Problem } from '../../core/problems.js';
import type { NearDuplicate } from '../../core/similarity.js';

/** The words of a contribution — branch, commit, review — computed purely from what was read. */
export interface ProposalInput {
  skill: { name: string; description: string; files: string[] };
  team: string;
  champion: string;
  spineName: string;
  /** The upstream already has a skill of this name: the proposal updates it. */
  update: boolean;
  warnings: Problem[];
  nearDuplicates: NearDuplicate[];
  title?: string;
}

export interface ProposalText {
  branch: string;
  title: string;
  body: string;
  commitMessage: string;
}

export const BRANCH_PREFIX = 'spine/contrib';

/** A team name as one safe ref component: `Payments Team` → `payments-team`. */
export function teamSlug(team: string): string {
  const slug = team
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .replace(/\.lock$/, '');
  return slug || 'team';
}

export function contributionBranch(team: string, skill: string): string {
  return `${BRANCH_PREFIX}/${teamSlug(team)}/${skill}`;
}

export function proposalText(input: ProposalInput): ProposalText {
  const { skill, team, champion, update } = input;
  const verb = update ? 'Update' : 'Add';
  const title = input.title?.trim() || `${verb} skill ${skill.name} (from ${team})`;
  const validation =
    input.warnings.length === 0
      ? '- `spine validate` checks: passed, no warnings'
      : [
          `- \`spine validate\` checks: passed with ${input.warnings.length} warning(s)`,
          ...input.warnings.map((w) => `  - ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`),
        ].join('\n');
  const similar = input.nearDuplicates.length
    ? [
        '',
        '### Similar skills in the spine',
        '',
        ...input.nearDuplicates.map(
          (d) => `- \`${d.name}\` (${d.reason === 'name' ? 'similar name' : 'similar description'})`,
        ),
        '',
        'The team was shown these and chose to propose this skill anyway.',
      ]
    : [];
  const body = [
    `${update ? 'Updates' : 'Proposes'} the skill \`${skill.name}\` for the spine \`${input.spineName}\`.`,
    '',
    '### What it does',
    '',
    quote(skill.description),
    '',
    '### Files',
    '',
    ...skill.files.map((f) => `- \`skills/${skill.name}/${f}\``),
    '',
    '### Checks',
    '',
    validation,
    '- secret scan (token formats, private keys, high-entropy values): clean',
    ...similar,
    '',
    '### Who proposes it',
    '',
    `- team: ${team}`,
    `- champion: ${champion}`,
    '',
    `<sub>Opened with \`spine contribute ${skill.name}\`. Re-running it updates this pull request.</sub>`,
    '',
  ].join('\n');
  const commitMessage = [
    `${verb} skill ${skill.name}`,
    '',
    wrap(skill.description),
    '',
    `Spine-Team: ${team}`,
    `Spine-Champion: ${champion}`,
    '',
  ].join('\n');
  return { branch: contributionBranch(team, skill.name), title, body, commitMessage };
}

function quote(text: string): string {
  return (text.trim() || '(no description)')
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

/** Commit bodies wrap at 72 columns, as git log shows them. */
function wrap(text: string, width = 72): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.trim().split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
