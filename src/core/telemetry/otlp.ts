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

/** `OTEL_RESOURCE_ATTRIBUTES` syntax: `k=v,k2=v2`, values percent-encoded (parsed by the hook's resource-attributes.ts). */
export function formatResourceAttributes(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(
      ([k, v]) =>
        `${k}=${v.replace(/[%,=\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`,
    )
    .join(',');
}
