// The environment a Claude Code client is started with by the real-client tests and the session
// benches. Plain JavaScript so both the tests (TypeScript, through client-env.d.mts) and the benches
// (plain node) import the same one.
import { join } from 'node:path';

/**
 * A minimal environment for a client in `home`: nothing of the developer's (no settings, keys,
 * proxies or CA bundle), no update checks, telemetry or error reports, and — with `baseUrl` — the
 * scripted model server as its API, reached directly. TMPDIR is kept when set: the newest client's
 * sandbox needs repositories outside /tmp. `env` is added last and wins.
 */
export function clientEnv({ home, baseUrl, env = {} }) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ...(baseUrl ? { ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_API_KEY: 'test' } : {}),
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    NO_PROXY: '127.0.0.1',
    ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
    ...env,
  };
}
