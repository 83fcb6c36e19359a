import { type Check, finding } from '../check.js';

/** Claude Code drops a whole settings file for one wrong type or enum value (reference §1.4). */
export const settingsDropped: Check = {
  code: 'settings-dropped',
  check: (ctx) =>
    ctx.settingsFiles.flatMap((s) =>
      s.problems
        .filter((p) => p.code === 'settings-dropped')
        .map((p) =>
          finding(
            'settings-dropped',
            'error',
            'settings',
            s.file,
            `${p.message}: every guardrail in this file is void`,
            'correct the value to the type or one of the values Claude Code accepts',
            { line: p.line, column: p.column },
          ),
        ),
    ),
};
