import type { LaunchDirVerdict } from '../../../core/launch-dirs/verdict.js';
import { SETTINGS_FILE } from '../../../core/render/desired-state.js';
import { type Check, describeEntry, finding } from '../check.js';

/**
 * A launch directory (a workspace member, a directory with its own CLAUDE.md, AGENTS.md or
 * .claude/) whose settings lack the spine's entries: Claude Code reads project settings only from
 * where it is started, so an agent started there runs without them (docs/monorepos.md).
 */
export const launchDirUnguarded: Check = {
  code: 'launch-dir-unguarded',
  check: (ctx) =>
    ctx.launchDirs
      .filter((d) => d.state === 'unguarded')
      .map((d) => {
        const locked = d.missing.filter((e) => e.level === 'locked');
        const severity = d.file !== 'present' || locked.length > 0 ? 'error' : 'warning';
        return finding(
          'launch-dir-unguarded',
          severity,
          'settings',
          `${d.path}/${SETTINGS_FILE}`,
          `${d.path} (${d.reasons.join(', ')}): ${hole(d)}`,
          d.file === 'dropped'
            ? 'correct the file so Claude Code loads it, then run spine doctor --fix'
            : 'run spine doctor --fix to write the spine’s settings there',
        );
      }),
  fix: (f) => [{ kind: 'guard-launch-dir', path: f.path.slice(0, -SETTINGS_FILE.length - 1) }],
};

function hole(d: LaunchDirVerdict): string {
  if (d.file === 'missing')
    return 'has no .claude/settings.json: an agent started here runs with none of the spine’s guardrails';
  if (d.file === 'dropped')
    return 'Claude Code drops its .claude/settings.json: an agent started here runs with none of the spine’s guardrails';
  const named = d.missing.slice(0, 3).map(describeEntry).join('; ');
  const more = d.missing.length > 3 ? ` and ${d.missing.length - 3} more` : '';
  return `${d.missing.length} of the spine’s ${d.wanted.length} entries are missing (${named}${more})`;
}
