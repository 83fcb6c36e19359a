import {
  clientAtLeast,
  clientVersion,
  PROJECT_TELEMETRY_IGNORED_SINCE,
} from '../../../core/client/support.js';
import type { Finding } from '../../../core/findings.js';
import { type Check, finding, locate } from '../check.js';

/** The client's own telemetry switches; spine's hook export reads its policy file, not these. */
const CLIENT_TELEMETRY = /^(?:CLAUDE_CODE_ENABLE_TELEMETRY|CLAUDE_CODE_ENHANCED_TELEMETRY_BETA|OTEL_\w+)$/;

/**
 * Telemetry variables in project or local settings, where the client on this machine ignores them
 * ("project-scoped settings can't set this key"): the file says telemetry is on, and it is not.
 */
export const telemetryEnvIgnored: Check = {
  code: 'telemetry-env-ignored',
  check: (ctx) => {
    if (!clientAtLeast(ctx.client, PROJECT_TELEMETRY_IGNORED_SINCE)) return [];
    const findings: Finding[] = [];
    for (const s of ctx.settingsFiles) {
      const env = (s.json?.value as { env?: unknown } | undefined)?.env;
      if (!env || typeof env !== 'object' || s.dropped) continue;
      const names = Object.keys(env).filter((k) => CLIENT_TELEMETRY.test(k));
      if (names.length === 0) continue;
      findings.push(
        finding(
          'telemetry-env-ignored',
          'warning',
          'settings',
          s.file,
          `Claude Code ${clientVersion(ctx.client)} ignores its telemetry settings in project and local files (${names.join(', ')}): the client's own telemetry stays off on this machine`,
          "install the managed settings spine exports (spine export managed-settings), or set these in ~/.claude/settings.json; keep the entries here: older clients honour them, and spine's own records (spine.session, spine.near_miss), sent either way, take the repo and team from OTEL_RESOURCE_ATTRIBUTES here",
          locate(ctx, s.file, ['env', names[0]!]),
        ),
      );
    }
    return findings;
  },
};
