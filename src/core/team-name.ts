/**
 * A team name lands in CLAUDE.md's managed block, in local.yaml, in every report and in the branch
 * name `contribute` pushes: it must be a plain name, never text that could close the block
 * (`<!-- spine:end -->`), break a line or add a level to a branch path (`/`).
 */
const TEAM_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@+-]*$/u;

/** Why a team name is unusable, or undefined when it is fine. */
export function teamNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'the team name is empty';
  if (name.length > 80) return `the team name is ${name.length} characters long (at most 80)`;
  if (name !== name.trim()) return 'the team name starts or ends with a space';
  if (!TEAM_NAME.test(name))
    return `the team name ${JSON.stringify(name)} may hold only letters, digits, spaces and . _ @ + - (starting with a letter or digit)`;
  return undefined;
}
