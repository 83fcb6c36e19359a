/**
 * A team name lands in CLAUDE.md's managed block, in local.yaml, in every report and in the branch
 * name `contribute` pushes: it must be a plain name, never text that could close the block
 * (`<!-- spine:end -->`), break a line or add a level to a branch path (`/`).
 */
const TEAM_NAME = '^[\\p{L}\\p{N}][\\p{L}\\p{N} ._@+-]*$';
/** The same for ASCII names, most of them: a Unicode property class costs half a millisecond to build. */
const ASCII_TEAM_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._@+-]*$/;
let unicodeTeamName: RegExp | undefined;

/** Whether `name` is made of letters, digits and the few marks a team name may hold. */
function isTeamNameShape(name: string): boolean {
  if (ASCII_TEAM_NAME.test(name)) return true;
  unicodeTeamName ??= new RegExp(TEAM_NAME, 'u');
  return unicodeTeamName.test(name);
}

/** Why a team name is unusable, or undefined when it is fine. */
export function teamNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'the team name is empty';
  if (name.length > 80) return `the team name is ${name.length} characters long (at most 80)`;
  if (name !== name.trim()) return 'the team name starts or ends with a space';
  if (!isTeamNameShape(name))
    return `the team name ${JSON.stringify(name)} may hold only letters, digits, spaces and . _ @ + - (starting with a letter or digit)`;
  return undefined;
}
