import {
  clientAtLeast,
  clientVersion,
  PROJECT_TELEMETRY_IGNORED_SINCE,
} from '../../../core/client/support.js';
import type { Finding } from '../../../core/findings.js';
import type { ManagedSettingsOnMachine } from '../../../io/managed-settings.js';
import { type Check, finding, locate } from '../check.js';

/** The client's own telemetry switches; spine's hook export reads its policy file, not these. */
const CLIENT_TELEMETRY = /^(?:CLAUDE_CODE_ENABLE_TELEMETRY|CLAUDE_CODE_ENHANCED_TELEMETRY_BETA|OTEL_\w+)$/;

/** The values the client reads as "on" for a boolean environment switch. */
const TRUTHY = /^(?:1|true|yes|on)$/i;

/** Why spine's project entries stay although this client ignores them. */
const KEEP =
  "keep the entries here: older clients honour them, and spine's own records (spine.session, spine.near_miss), sent either way, take the repo and team from OTEL_RESOURCE_ATTRIBUTES here";

/**
 * Telemetry variables in project or local settings, where the client on this machine ignores them
 * ("project-scoped settings can't set this key"): the file says telemetry is on, and it is not —
 * unless this machine's managed settings switch it on, which the client does honour; then the
 * finding says where the telemetry comes from instead.
 */
export const telemetryEnvIgnored: Check = {
  code: 'telemetry-env-ignored',
  check: (ctx) => {
    if (!clientAtLeast(ctx.client, PROJECT_TELEMETRY_IGNORED_SINCE)) return [];
    const managed = managedTelemetry(ctx.managedSettings);
    const findings: Finding[] = [];
    for (const s of ctx.settingsFiles) {
      const env = (s.json?.value as { env?: unknown } | undefined)?.env;
      if (!env || typeof env !== 'object' || s.dropped) continue;
      const names = Object.keys(env).filter((k) => CLIENT_TELEMETRY.test(k));
      if (names.length === 0) continue;
      const version = clientVersion(ctx.client);
      const where = locate(ctx, s.file, ['env', names[0]!]);
      findings.push(
        managed
          ? finding(
              'telemetry-env-ignored',
              'info',
              'settings',
              s.file,
              `the client's own telemetry on this machine is switched on by managed settings (${managed}); Claude Code ${version} ignores the entries here (${names.join(', ')}) and takes the managed values`,
              `nothing to do; ${KEEP}`,
              where,
            )
          : finding(
              'telemetry-env-ignored',
              'warning',
              'settings',
              s.file,
              `Claude Code ${version} ignores its telemetry settings in project and local files (${names.join(', ')}): the client's own telemetry stays off on this machine`,
              `install the managed settings spine exports (spine export managed-settings), or set these in ~/.claude/settings.json; ${KEEP}`,
              where,
            ),
      );
    }
    return findings;
  },
};

/**
 * The managed files that switch the client's telemetry on, or undefined where they don't: the
 * client honours `CLAUDE_CODE_ENABLE_TELEMETRY` in the managed `env`, which beats every other tier.
 */
function managedTelemetry(managed: ManagedSettingsOnMachine | undefined): string | undefined {
  const env = managed?.settings.env;
  if (!env || typeof env !== 'object') return undefined;
  const value = (env as Record<string, unknown>).CLAUDE_CODE_ENABLE_TELEMETRY;
  if (typeof value !== 'string' || !TRUTHY.test(value.trim())) return undefined;
  return managed.files.join(', ');
}
