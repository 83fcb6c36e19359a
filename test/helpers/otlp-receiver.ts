import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './gitdir.js';

/**
 * An OTLP/HTTP receiver on 127.0.0.1, to the OTLP specification (POST /v1/logs, /v1/metrics,
 * /v1/traces; `application/json` bodies; 200 with an empty ExportServiceResponse), that stores
 * what it receives as an OpenTelemetry Collector's `file` exporter does: one export request per
 * line, compact JSON, logs in their own file. A protobuf body is answered 415, as a JSON-only
 * receiver must (the spec lets a server support either encoding).
 */
export interface OtlpReceiver {
  endpoint: string;
  port: number;
  /** The file-exporter output for logs. */
  logsFile: string;
  /** Every log record received so far, with its resource attributes and event name. */
  logRecords(): ReceivedRecord[];
  close(): Promise<void>;
}

export interface ReceivedRecord {
  resource: Record<string, string>;
  event: string;
  attributes: Record<string, unknown>;
}

export async function startOtlpReceiver(options: { port?: number } = {}): Promise<OtlpReceiver> {
  const dir = tempDir('spine-otlp-');
  const files: Record<string, string> = {
    '/v1/logs': join(dir, 'logs.json'),
    '/v1/metrics': join(dir, 'metrics.json'),
    '/v1/traces': join(dir, 'traces.json'),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const file = files[req.url ?? ''];
      if (req.method !== 'POST' || !file) {
        res.writeHead(404).end();
        return;
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        res.writeHead(415).end();
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"bad JSON"}');
        return;
      }
      appendFileSync(file, `${JSON.stringify(body)}\n`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    logsFile: files['/v1/logs']!,
    logRecords: () => readLogRecords(files['/v1/logs']!),
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
