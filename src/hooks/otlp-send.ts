import { isMetadataAddress, metadataHost } from '../core/net/metadata-address.js';
import { dns, http, https } from './lazy-builtins.js';

type LookupAddress = import('node:dns').LookupAddress;
type LookupOptions = import('node:dns').LookupOptions;

export interface OtlpTarget {
  url: string;
  headers: Record<string, string>;
  /** The body encoding; gRPC is not spoken (spine validate refuses it). */
  protocol: 'http/json' | 'http/protobuf';
  /** The spine lets the endpoint be a link-local or metadata address. */
  allowLinkLocal?: boolean;
}

/** What an answer means for the records in the request (OTLP/HTTP specification, "Failures"). */
export type OtlpOutcome =
  /** 2xx, including a partial success, which the specification forbids resending. */
  | { kind: 'sent' }
  /** 400 Bad Request: permanent, must not be resent. */
  | { kind: 'rejected'; status: number }
  /** Anything else: no answer, a timeout, a retryable status, or a setting a person can fix. */
  | { kind: 'kept'; status?: number; retryAfterMs?: number };

/**
 * Where spine's records go: the collector the spine names (the hook policy carries it, because
 * Claude Code strips every OTEL_* variable from a hook's environment). Headers, which may hold a
 * token and so are never committed, come from `SPINE_OTLP_HEADERS` in the developer's
 * environment (the OTEL_EXPORTER_OTLP_HEADERS syntax). Telemetry switched off in the settings
 * (`CLAUDE_CODE_ENABLE_TELEMETRY` other than 1) switches spine's export off too. A protocol other
 * than OTLP/HTTP (gRPC, from a policy written before spine validate refused it) exports nothing:
 * the records stay in the outbox.
 */
export function otlpTarget(
  telemetry: { endpoint: string; protocol: string; allowLinkLocal?: true } | null | undefined,
  env: NodeJS.ProcessEnv,
): OtlpTarget | undefined {
  if (!telemetry) return undefined;
  const protocol = telemetry.protocol;
  if (protocol !== 'http/json' && protocol !== 'http/protobuf') return undefined;
  const enabled = env.CLAUDE_CODE_ENABLE_TELEMETRY;
  if (enabled !== undefined && enabled !== '1' && enabled !== 'true') return undefined;
  const url = `${telemetry.endpoint.replace(/\/+$/, '')}/v1/logs`;
  if (!/^https?:\/\//.test(url)) return undefined;
  // A metadata service is never a collector unless the spine says so (spine validate explains).
  const allowLinkLocal = telemetry.allowLinkLocal === true;
  if (!allowLinkLocal && metadataHost(url)) return undefined;
  return { url, headers: parseHeaders(env.SPINE_OTLP_HEADERS), protocol, allowLinkLocal };
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
 * POSTs one OTLP/HTTP body. A slow collector costs at most `timeoutMs`; whatever the outcome but
 * `sent` and `rejected`, the records stay in the outbox for a later session. The response body
 * (an ExportLogsServiceResponse, perhaps a partial success) is not read: a partial success may
 * not be resent either, so it changes nothing here.
 */
export function postOtlp(target: OtlpTarget, body: Uint8Array, timeoutMs: number): Promise<OtlpOutcome> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: OtlpOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = (target.url.startsWith('https:') ? https() : http()).request(
      target.url,
      {
        method: 'POST',
        // A name may resolve to a metadata address (or be made to, between two lookups): the
        // address actually connected to is checked, not only the name in the policy.
        ...(target.allowLinkLocal ? {} : { lookup: refuseMetadata }),
        headers: {
          ...target.headers,
          'content-type': target.protocol === 'http/protobuf' ? 'application/x-protobuf' : 'application/json',
          'content-length': body.length,
        },
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        const retryAfterMs = retryAfter(response.headers['retry-after']);
        response.on('end', () => finish(outcomeOf(status, retryAfterMs)));
        response.on('error', () => finish({ kind: 'kept', status }));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ kind: 'kept' });
    }, timeoutMs);
    request.on('error', () => finish({ kind: 'kept' }));
    request.end(body);
  });
}

function outcomeOf(status: number, retryAfterMs: number | undefined): OtlpOutcome {
  if (status >= 200 && status < 300) return { kind: 'sent' };
  if (status === 400) return { kind: 'rejected', status };
  // 429/502/503/504 are retryable by the specification. 401/403/404/415 and the like are a token
  // or an endpoint a person will fix: dropping would lose the records, so they wait too.
  return retryAfterMs === undefined ? { kind: 'kept', status } : { kind: 'kept', status, retryAfterMs };
}

/** Retry-After as seconds or an HTTP date (RFC 7231 §7.1.3), as milliseconds from now. */
function retryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** dns.lookup that fails for a link-local or metadata address, so no connection is made to one. */
function refuseMetadata(host: string, options: LookupOptions, callback: LookupCallback): void {
  dns().lookup(host, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const allowed = addresses.filter((a) => !isMetadataAddress(a.address));
    if (allowed.length === 0)
      return callback(
        Object.assign(new Error(`${host} resolves to a link-local or metadata address`), { code: 'EACCES' }),
        [],
      );
    if (options.all) return callback(null, allowed);
    callback(null, allowed[0]!.address, allowed[0]!.family);
  });
}
