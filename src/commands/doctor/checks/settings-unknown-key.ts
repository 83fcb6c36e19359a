import { type Check, finding } from '../check.js';

/** Unknown keys are ignored by Claude Code (they may belong to a newer version): a warning only. */
export const settingsUnknownKey: Check = {
  code: 'settings-unknown-key',
  check: (ctx) =>
    ctx.settingsFiles.flatMap((s) =>
      s.problems
        .filter((p) => p.code === 'settings-unknown-key')
        .map((p) =>
          finding(
            'settings-unknown-key',
            'warning',
            'settings',
            s.file,
            `${p.message}; Claude Code ignores it`,
            'check the spelling, or remove the key',
            { line: p.line, column: p.column },
          ),
        ),
    ),
};
