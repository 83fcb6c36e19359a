import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './gitdir.js';
import { decodeRequest, type OtlpPath, successResponse } from './otlp-proto.js';

/**
 * An OTLP/HTTP receiver on 127.0.0.1, to the OTLP specification (POST /v1/logs, /v1/metrics,
 * /v1/traces; `application/json` and `application/x-protobuf` bodies on the same port, told
 * apart by Content-Type; 200 with an empty Export…ServiceResponse in the request's encoding; 400
 * for a body that does not decode; 415 for another media type), that stores what it receives as
 * an OpenTelemetry Collector's `file` exporter does: one export request per line, compact OTLP
 * JSON, logs in their own file. Protobuf is decoded by protobufjs against the official .proto
 * files (otlp-proto.ts), never by spine's own code. `respond` can answer instead (a 503 with
 * Retry-After, a 400); such a request is counted but not stored.
 */
export interface OtlpReceiver {
  endpoint: string;
  port: number;
  /** The file-exporter output for logs. */
  logsFile: string;
  /** Every log record received so far, with its resource attributes and event name. */
  logRecords(): ReceivedRecord[];
  /** Every request received, stored or not: its path and media type. */
  requests: { path: string; contentType: string }[];
  close(): Promise<void>;
}

export interface ReceivedRecord {
  resource: Record<string, string>;
  event: string;
  attributes: Record<string, unknown>;
}

export interface ReceiverOptions {
  port?: number;
  /** An answer other than success for a request, e.g. `{ status: 503, headers: { 'retry-after': '60' } }`. */
  respond?: (path: string) => { status: number; headers?: Record<string, string> } | undefined;
  /** Serve HTTPS with this key and certificate (for 127.0.0.1), e.g. one a private CA signed. */
  tls?: { key: string; cert: string };
}

export async function startOtlpReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const requests: { path: string; contentType: string }[] = [];
  const dir = tempDir('spine-otlp-');
  const files: Record<string, string> = {
    '/v1/logs': join(dir, 'logs.json'),
    '/v1/metrics': join(dir, 'metrics.json'),
    '/v1/traces': join(dir, 'traces.json'),
  };
  const handle: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const file = files[req.url ?? ''];
      if (req.method !== 'POST' || !file) {
        res.writeHead(404).end();
        return;
      }
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim();
      requests.push({ path: req.url ?? '', contentType: type });
      const body = Buffer.concat(chunks);
      if (type !== 'application/json' && type !== 'application/x-protobuf') {
        res.writeHead(415).end();
        return;
      }
      const scripted = options.respond?.(req.url ?? '');
      if (scripted) {
        res.writeHead(scripted.status, { 'content-type': type, ...scripted.headers }).end();
        return;
      }
      let request: unknown;
      try {
        request =
          type === 'application/json'
            ? JSON.parse(body.toString('utf8'))
            : decodeRequest(req.url as OtlpPath, body);
      } catch (error) {
        // A Status message would be the body; its message is all a client may read.
        res
          .writeHead(400, { 'content-type': type })
          .end(
            type === 'application/json'
              ? JSON.stringify({ code: 3, message: (error as Error).message })
              : undefined,
          );
        return;
      }
      appendFileSync(file, `${JSON.stringify(request)}\n`);
      if (type === 'application/json') res.writeHead(200, { 'content-type': type }).end('{}');
      else res.writeHead(200, { 'content-type': type }).end(successResponse(req.url as OtlpPath));
    });
  };
  const server: Server = options.tls ? createTlsServer(options.tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    logsFile: files['/v1/logs']!,
    logRecords: () => readLogRecords(files['/v1/logs']!),
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Kv = { key: string; value: Record<string, unknown> };

function plain(value: Record<string, unknown> | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('boolValue' in value) return value.boolValue;
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value)
    return ((value.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(plain);
  if ('kvlistValue' in value)
    return Object.fromEntries(
      (((value.kvlistValue as { values?: Kv[] }).values ?? []) as Kv[]).map((kv) => [
        kv.key,
        plain(kv.value),
      ]),
    );
  return value;
}

export function readLogRecords(file: string): ReceivedRecord[] {
  if (!existsSync(file)) return [];
  const out: ReceivedRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const request = JSON.parse(line) as {
      resourceLogs?: {
        resource?: { attributes?: Kv[] };
        scopeLogs?: {
          logRecords?: { eventName?: string; body?: Record<string, unknown>; attributes?: Kv[] }[];
        }[];
      }[];
    };
    for (const rl of request.resourceLogs ?? []) {
      const resource = Object.fromEntries(
        (rl.resource?.attributes ?? []).map((a) => [a.key, String(plain(a.value))]),
      );
      for (const sl of rl.scopeLogs ?? [])
        for (const r of sl.logRecords ?? []) {
          const attributes = Object.fromEntries((r.attributes ?? []).map((a) => [a.key, plain(a.value)]));
          out.push({
            resource,
            event: String(r.eventName ?? attributes['event.name'] ?? plain(r.body)),
            attributes,
          });
        }
    }
  }
  return out;
}
