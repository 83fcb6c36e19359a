import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { containedDir } from './append-line.js';
import { childProcess } from './lazy-builtins.js';
import { encodeLogsRequest } from './otlp-protobuf.js';
import { otlpLogsRequest } from './otlp-request.js';
import { otlpTarget, postOtlp } from './otlp-send.js';
import { deferExport, deferred, markShipped, pendingSessions, tryLock } from './outbox.js';
import { parseResourceAttributes } from './resource-attributes.js';
import { summariseSession } from './session-summary.js';
import type { HookPolicy } from './types.js';

/** A collector slower than this loses nothing: the records stay in the outbox for the next session. */
export const EXPORT_TIMEOUT_MS = 5000;

/**
 * Starts the exporter as its own process, detached from the session, so the session ends at once
 * and a slow or absent collector never holds the agent up. It is a one-shot process, not a daemon:
 * it sends what is pending and exits.
 */
export function startExporter(
  script: string,
  policy: HookPolicy,
  projectDir: string,
  env: NodeJS.ProcessEnv,
  /** More arguments for the exporter: the plugin's copy says it is one. */
  extra: string[] = [],
): void {
  if (!otlpTarget(policy.telemetry, env)) return;
  const child = childProcess().spawn(process.execPath, [script, 'export', ...extra], {
    cwd: projectDir,
    env: exporterEnv(env, projectDir),
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => {});
  child.unref();
}

/**
 * The exporter's environment: the hook's, with the CA bundle the hook command set aside
 * (SPINE_NODE_EXTRA_CA_CERTS, settings-entries.ts) set again, since a collector behind a
 * corporate CA needs it for TLS.
 */
export function exporterEnv(env: NodeJS.ProcessEnv, projectDir: string): NodeJS.ProcessEnv {
  const { SPINE_NODE_EXTRA_CA_CERTS: caFile, NODE_EXTRA_CA_CERTS: _, ...rest } = env;
  const ca = caFile || env.NODE_EXTRA_CA_CERTS;
  return { ...rest, CLAUDE_PROJECT_DIR: projectDir, ...(ca ? { NODE_EXTRA_CA_CERTS: ca } : {}) };
}

/**
 * Ships every session the outbox holds (ended, not yet shipped) in one request, encoded as the
 * policy's protocol says: http/json or http/protobuf, from the same request object.
 */
export async function exportPending(
  policy: HookPolicy,
  projectDir: string,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<{ sent: number; ok: boolean }> {
  const target = otlpTarget(policy.telemetry, env);
  if (!target || !policy.audit) return { sent: 0, ok: true };
  const dir = join(projectDir, policy.audit.dir);
  // The outbox's files are written with no link followed; the directories to it are checked here.
  if (!policy.audit.dir.startsWith('/')) containedDir(projectDir, dir, false);
  const unlock = tryLock(dir);
  if (!unlock) return { sent: 0, ok: true };
  try {
    if (deferred(dir, now)) return { sent: 0, ok: false };
    const { ready, shipped } = pendingSessions(dir, now);
    if (ready.size === 0) return { sent: 0, ok: true };
    const shared = new Set(policy.skills ?? []);
    const summaries = [...ready.values()].map((records) => summariseSession(records, shared));
    const request = otlpLogsRequest(summaries, resourceAttributes(projectDir), policy.spine.version);
    const body =
      target.protocol === 'http/protobuf'
        ? encodeLogsRequest(request)
        : Buffer.from(JSON.stringify(request), 'utf8');
    const outcome = await postOtlp(target, body, EXPORT_TIMEOUT_MS);
    if (outcome.kind === 'sent') markShipped(dir, shipped, [...ready.keys()], now);
    else if (outcome.kind === 'rejected')
      markShipped(dir, shipped, [...ready.keys()], now, { status: outcome.status });
    else if (outcome.retryAfterMs !== undefined) deferExport(dir, now, outcome.retryAfterMs);
    const ok = outcome.kind === 'sent';
    return { sent: ok ? ready.size : 0, ok };
  } finally {
    unlock();
  }
}

/**
 * The resource attributes spine init wrote into the settings' env (team, repo id, spine version,
 * champion): read from the settings files, since OTEL_* never reaches a hook's environment. The
 * local file wins, as it does for the client.
 */
function resourceAttributes(projectDir: string): Record<string, string> {
  let text: string | undefined;
  for (const file of ['settings.json', 'settings.local.json']) {
    try {
      const settings = JSON.parse(readFileSync(join(projectDir, '.claude', file), 'utf8')) as {
        env?: Record<string, unknown>;
      };
      const value = settings.env?.OTEL_RESOURCE_ATTRIBUTES;
      if (typeof value === 'string') text = value;
    } catch {
      // absent or unreadable: the client would not use it either
    }
  }
  return parseResourceAttributes(text);
}
