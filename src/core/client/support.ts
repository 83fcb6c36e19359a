// The four functions, not the package: doctor runs this on every start, and the ranges are unused.
import coerce from 'semver/functions/coerce.js';
import gte from 'semver/functions/gte.js';
import lt from 'semver/functions/lt.js';
import valid from 'semver/functions/valid.js';

const semver = { coerce, gte, lt, valid };

/**
 * What spine relies on from the Claude Code client, by version (docs/clients.md). The versions are
 * the ones the real-client tests ran on; a client between two of them is judged by the older rule.
 */

/** The oldest client spine supports: every real-client test runs on it. */
export const OLDEST_SUPPORTED_CLIENT = '2.1.197';

/**
 * From here the client ignores its own telemetry switches (`CLAUDE_CODE_ENABLE_TELEMETRY`,
 * `OTEL_*`) in project and local settings: "project-scoped settings can't set this key".
 * Verified on 2.1.332; releases between 2.1.197 and it were not tried.
 */
export const PROJECT_TELEMETRY_IGNORED_SINCE = '2.1.332';

/**
 * `sandbox.credentials` `mode: "mask"`: older clients reject the value, and with it the whole
 * settings file (verified on 2.1.197); from here it is honoured from managed, user and `--settings`
 * files and skipped without a word in project and local ones (verified on 2.1.332). 2.1.199 is the
 * release the client's schema names for `allowPlaintextInject`.
 */
export const CREDENTIAL_MASK_SINCE = '2.1.199';

/**
 * From here the hooks of a plugin that managed settings enable run under `allowManagedHooksOnly`
 * (verified on 2.1.332); 2.1.197 runs them neither with the key nor without it.
 */
export const PLUGIN_HOOKS_UNDER_MANAGED_ONLY_SINCE = '2.1.332';

/** `sandbox.credentials` itself (the client's schema): before it, secret variables are not hidden. */
const CREDENTIALS_SINCE = '2.1.187';

/** The `claude` on this machine, as far as spine could tell without starting a session. */
export type InstalledClient =
  | { found: false }
  | { found: true; path: string; version?: string; versionFrom?: 'package' | 'file-name' | 'run' };

/** A version spine can compare, or undefined when the client's could not be read. */
export function clientVersion(client: InstalledClient | undefined): string | undefined {
  if (!client?.found || !client.version) return undefined;
  return semver.valid(semver.coerce(client.version)) ?? undefined;
}

export function clientAtLeast(client: InstalledClient | undefined, version: string): boolean {
  const v = clientVersion(client);
  return v !== undefined && semver.gte(v, version);
}

export function clientBelow(client: InstalledClient | undefined, version: string): boolean {
  const v = clientVersion(client);
  return v !== undefined && semver.lt(v, version);
}

/** What spine promises that an older client than the oldest supported does not give. */
export function guaranteesNotHeld(version: string): string[] {
  if (!semver.valid(version) || semver.gte(version, OLDEST_SUPPORTED_CLIENT)) return [];
  const lost = [
    `every tool call audited once and the guard hook's refusals (verified only from ${OLDEST_SUPPORTED_CLIENT}: older hook payloads are untested)`,
  ];
  if (semver.lt(version, CREDENTIALS_SINCE))
    lost.push('secret variables hidden from sandboxed commands (sandbox.credentials needs 2.1.187)');
  return lost;
}

/** The client part of doctor's machine line. */
export function clientLine(client: InstalledClient): string {
  if (!client.found) return 'client: claude not found on PATH';
  const version = clientVersion(client);
  if (!version) return `client: ${client.path} (version unknown)`;
  const lost = guaranteesNotHeld(version);
  if (lost.length === 0) return `client: Claude Code ${version}`;
  return `client: Claude Code ${version}, older than the oldest spine supports (${OLDEST_SUPPORTED_CLIENT}) — not guaranteed here: ${lost.join('; ')}; update it (claude update)`;
}
