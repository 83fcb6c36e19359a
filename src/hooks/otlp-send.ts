import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface OtlpTarget {
  url: string;
  headers: Record<string, string>;
}

/**
 * Where spine's records go: the collector the spine names (the hook policy carries it, because
 * Claude Code strips every OTEL_* variable from a hook's environment). Headers, which may hold a
 * token and so are never committed, come from `SPINE_OTLP_HEADERS` in the developer's
 * environment (the OTEL_EXPORTER_OTLP_HEADERS syntax). Telemetry switched off in the settings
 * (`CLAUDE_CODE_ENABLE_TELEMETRY` other than 1) switches spine's export off too.
 */
export function otlpTarget(
  telemetry: { endpoint: string; protocol: string } | null | undefined,
  env: NodeJS.ProcessEnv,
): OtlpTarget | undefined {
  if (!telemetry) return undefined;
  const enabled = env.CLAUDE_CODE_ENABLE_TELEMETRY;
  if (enabled !== undefined && enabled !== '1' && enabled !== 'true') return undefined;
  const url = `${telemetry.endpoint.replace(/\/+$/, '')}/v1/logs`;
  if (!/^https?:\/\//.test(url)) return undefined;
  return { url, headers: parseHeaders(env.SPINE_OTLP_HEADERS) };
}

function parseHeaders(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

/**
 * POSTs one OTLP/HTTP JSON body. Resolves true on a 2xx answer; false on anything else, a refused
 * connection or the hard timeout: a slow collector costs at most `timeoutMs`, and what was not
 * sent stays in the outbox.
 */
export function postOtlp(target: OtlpTarget, body: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(ok);
    };
    const request = (target.url.startsWith('https:') ? httpsRequest : httpRequest)(
      target.url,
      {
        method: 'POST',
        headers: {
          ...target.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          finish((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300),
        );
        response.on('error', () => finish(false));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish(false);
    }, timeoutMs);
    request.on('error', () => finish(false));
    request.end(body);
  });
}
