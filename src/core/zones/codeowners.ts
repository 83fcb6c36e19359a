import { type Problem, problem } from '../problems.js';
import { zonePatternProblem } from './zone-pattern.js';

/** Where GitHub looks for CODEOWNERS, in its order: the first that exists is the one. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/** GitHub ignores a CODEOWNERS file larger than this; so does spine. */
export const MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024;

export interface CodeownersLine {
  line: number;
  pattern: string;
  owners: string[];
}

/** The rules of a CODEOWNERS file, in order; a pattern CODEOWNERS cannot hold is a problem at its line. */
export function parseCodeowners(
  file: string,
  text: string,
): { lines: CodeownersLine[]; problems: Problem[] } {
  const lines: CodeownersLine[] = [];
  const problems: Problem[] = [];
  if (text.includes('\0')) {
    problems.push(problem('codeowners', 'CODEOWNERS is not a text file', { file, line: 1, column: 1 }));
    return { lines, problems };
  }
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') continue;
    const [pattern, ...rest] = content.split(/\s+/);
    const cause = zonePatternProblem(pattern!);
    if (cause) {
      problems.push(problem('codeowners', cause, { file, line: i + 1, column: 1 }));
      continue;
    }
    const bad = rest.find((o) => !/^@\S+$/.test(o) && !/^[^@\s]+@[^@\s]+$/.test(o));
    if (bad) {
      problems.push(
        problem('codeowners', `owner ${JSON.stringify(bad)} is neither @user, @org/team nor an email`, {
          file,
          line: i + 1,
          column: raw.indexOf(bad) + 1,
        }),
      );
      continue;
    }
    lines.push({ line: i + 1, pattern: pattern!, owners: rest });
  }
  return { lines, problems };
}
