import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * OTLP binary protobuf, decoded by an implementation independent of spine's hook: protobufjs
 * against the official opentelemetry-proto definitions (vendored in test/fixtures), and written
 * back as OTLP JSON the way a Collector's file exporter writes it (the specification's JSON
 * mapping: lowerCamelCase keys, 64-bit integers as decimal strings, enums as integers, trace and
 * span ids as hex, other bytes as base64, fields at their default value omitted except a oneof's).
 */

const ROOT = fileURLToPath(new URL('../fixtures/opentelemetry-proto/', import.meta.url));

const SERVICES = {
  '/v1/logs': 'opentelemetry.proto.collector.logs.v1.ExportLogsService',
  '/v1/metrics': 'opentelemetry.proto.collector.metrics.v1.ExportMetricsService',
  '/v1/traces': 'opentelemetry.proto.collector.trace.v1.ExportTraceService',
} as const;

export type OtlpPath = keyof typeof SERVICES;

let root: protobuf.Root | undefined;

function load(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => ROOT + target;
  r.loadSync(
    [
      'opentelemetry/proto/collector/logs/v1/logs_service.proto',
      'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
      'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    ],
    { keepCase: false },
  );
  r.resolveAll();
  root = r;
  return r;
}

/** The request message type for an OTLP/HTTP path. */
export function requestType(path: OtlpPath): protobuf.Type {
  return load().lookupType(`${SERVICES[path]}Request`);
}

/** An empty Export…ServiceResponse (full success), binary-encoded. */
export function successResponse(path: OtlpPath): Uint8Array {
  const type = load().lookupType(`${SERVICES[path]}Response`);
  return type.encode(type.create({})).finish();
}

/** Decodes a binary request body to OTLP JSON; throws on a body that is not that message. */
export function decodeRequest(path: OtlpPath, body: Uint8Array): Record<string, unknown> {
  const type = requestType(path);
  const message = type.decode(body);
  const plain = type.toObject(message, { longs: String, bytes: String, json: true });
  return otlpJson(type, plain);
}

const HEX_IDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** The OTLP JSON mapping's adjustments over protobufjs' plain object, driven by the schema. */
function otlpJson(type: protobuf.Type, plain: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const value = plain[field.name];
    if (value === undefined || value === null) continue;
    const convert = (v: unknown): unknown => {
      if (field.resolvedType instanceof protobuf.Type)
        return otlpJson(field.resolvedType, v as Record<string, unknown>);
      if (field.type === 'bytes' && HEX_IDS.has(field.name))
        return Buffer.from(v as string, 'base64').toString('hex');
      return v;
    };
    if (field.repeated) {
      if ((value as unknown[]).length > 0) out[field.name] = (value as unknown[]).map(convert);
      continue;
    }
    // proto3 without presence: a default value is absent, as the Collector writes it. A oneof
    // member is present whatever its value (AnyValue's intValue 0 is a value).
    if (!field.partOf && !(field.resolvedType instanceof protobuf.Type) && isDefault(field, value)) continue;
    out[field.name] = convert(value);
  }
  return out;
}

const LONGS = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (field.type === 'string' || field.type === 'bytes') return value === '';
  if (field.type === 'bool') return value === false;
  if (LONGS.has(field.type)) return value === '0';
  return value === 0; // other numbers and enums
}

const ONEOF = new Set(['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue']);
const FIXED64 = new Set(['timeUnixNano', 'observedTimeUnixNano']);

/**
 * An OTLP JSON logs request as a Collector would write it back: proto3 defaults and empty lists
 * left out (a oneof member kept whatever its value). Compares a JSON body with a decoded protobuf one.
 */
export function canonicalOtlpJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalOtlpJson);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length === 0) continue;
    if (!ONEOF.has(key) && (v === '' || v === 0 || v === false || (FIXED64.has(key) && v === '0'))) continue;
    out[key] = canonicalOtlpJson(v);
  }
  return out;
}
