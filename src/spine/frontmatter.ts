import type { Problem } from '../core/problems.js';
import { parseYaml } from './yaml-file.js';

export interface Frontmatter {
  data: Record<string, unknown> | undefined;
  body: string;
  problems: Problem[];
}

const OPEN = /^---\r?\n/;
const CLOSE = /\r?\n---[ \t]*(\r?\n|$)/;

/** Splits a Markdown file into its YAML frontmatter (with positions) and body. */
export function parseFrontmatter(file: string, text: string): Frontmatter {
  const stripped = text.replace(/^\uFEFF/, '');
  if (!OPEN.test(stripped)) return { data: undefined, body: stripped, problems: [] };
  const start = stripped.indexOf('\n') + 1;
  const rest = stripped.slice(start);
  const close = CLOSE.exec(rest);
  if (!close) {
    return {
      data: undefined,
      body: stripped,
      problems: [
        {
          code: 'frontmatter',
          severity: 'error',
          file,
          line: 1,
          column: 1,
          message: 'frontmatter is not closed with ---',
        },
      ],
    };
  }
  const yamlText = rest.slice(0, close.index);
  const parsed = parseYaml(file, yamlText);
  // Positions inside the frontmatter are one line below the opening fence.
  const problems = parsed.problems.map((p) => ({ ...p, line: (p.line ?? 0) + 1 }));
  const data = parsed.value;
  if (problems.length === 0 && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    problems.push({
      code: 'frontmatter',
      severity: 'error',
      file,
      line: 2,
      column: 1,
      message: 'frontmatter must be a YAML mapping',
    });
  }
  return {
    data: problems.length ? undefined : (data as Record<string, unknown>),
    body: rest.slice(close.index + close[0].length),
    problems,
  };
}
