/**
 * The OTLP/JSON shapes spine reads and writes (opentelemetry-proto, logs v1, JSON encoding):
 * `ExportLogsServiceRequest` → resourceLogs → scopeLogs → logRecords, attributes as
 * `{key, value: AnyValue}`. Only what spine needs is typed.
 */
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  /** int64: a JSON string per the spec, though some exporters write a number. */
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}

export interface KeyValue {
  key: string;
  value?: AnyValue;
}

export interface LogRecord {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  eventName?: string;
  body?: AnyValue;
  attributes?: KeyValue[];
}

export interface ExportLogsServiceRequest {
  resourceLogs?: {
    resource?: { attributes?: KeyValue[] };
    scopeLogs?: { scope?: { name?: string; version?: string }; logRecords?: LogRecord[] }[];
  }[];
}

/** The scope of spine's own records, and their event names. */
export const SPINE_SCOPE = 'dev.spine.audit';
export const SESSION_EVENT = 'spine.session';
export const NEAR_MISS_EVENT = 'spine.near_miss';

export function str(value: string): AnyValue {
  return { stringValue: value };
}

export function int(value: number): AnyValue {
  return { intValue: String(Math.trunc(value)) };
}

export function kvlist(counts: Record<string, number>): AnyValue {
  return { kvlistValue: { values: Object.entries(counts).map(([key, n]) => ({ key, value: int(n) })) } };
}

export function attr(key: string, value: AnyValue): KeyValue {
  return { key, value };
}

/** An attribute list as a lookup; later keys win, as the spec leaves duplicates undefined. */
export function attributeMap(attributes: KeyValue[] | undefined): Map<string, AnyValue> {
  const map = new Map<string, AnyValue>();
  for (const a of attributes ?? []) if (a && typeof a.key === 'string' && a.value) map.set(a.key, a.value);
  return map;
}

export function asString(value: AnyValue | undefined): string | undefined {
  if (!value) return undefined;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (value.intValue !== undefined) return String(value.intValue);
  return undefined;
}

export function asInt(value: AnyValue | undefined): number {
  if (!value) return 0;
  const raw = value.intValue ?? value.doubleValue ?? value.stringValue;
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.trunc(n) : 0;
}

/** A kvlist of counts (the shape spine writes for by-guardrail and by-skill maps). */
export function asCounts(value: AnyValue | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kv of value?.kvlistValue?.values ?? []) {
    const n = asInt(kv.value);
    if (typeof kv.key === 'string' && n > 0) out[kv.key] = (out[kv.key] ?? 0) + n;
  }
  return out;
}

/** `OTEL_RESOURCE_ATTRIBUTES` syntax: `k=v,k2=v2`, values percent-encoded (parsed by the hook's resource-attributes.ts). */
export function formatResourceAttributes(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(
      ([k, v]) =>
        `${k}=${v.replace(/[%,=\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`,
    )
    .join(',');
}
