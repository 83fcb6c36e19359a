import { type Check, finding } from '../check.js';

/** A malformed permission rule is dropped on its own; the rest of the file still applies. */
export const settingsRuleDropped: Check = {
  code: 'settings-rule-dropped',
  check: (ctx) =>
    ctx.settingsFiles.flatMap((s) =>
      s.problems
        .filter((p) => p.code === 'settings-rule-dropped')
        .map((p) =>
          finding(
            'settings-rule-dropped',
            'warning',
            'settings',
            s.file,
            p.message,
            'fix the rule syntax (Tool or Tool(specifier), ":*" only at the end)',
            { line: p.line, column: p.column },
          ),
        ),
    ),
};
