import { crypto } from './lazy-builtins.js';
import type { SessionSummary } from './session-summary.js';

/**
 * The OTLP logs request in memory, shaped as its JSON encoding (lowerCamelCase, int64 and fixed64
 * as decimal strings). Both encodings are written from this one object: `JSON.stringify` for
 * http/json, `encodeLogsRequest` (otlp-protobuf.ts) for http/protobuf.
 */
export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: KeyValue[] } };
export interface KeyValue {
  key: string;
  value: AnyValue;
}
export interface LogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: AnyValue;
  attributes?: KeyValue[];
  eventName?: string;
}
export interface LogsRequest {
  resourceLogs: {
    resource?: { attributes: KeyValue[] };
    scopeLogs: { scope?: { name: string; version?: string }; logRecords: LogRecord[] }[];
  }[];
}
type KV = KeyValue;

const s = (key: string, v: string): KV => ({ key, value: { stringValue: v } });
const i = (key: string, n: number): KV => ({ key, value: { intValue: String(Math.trunc(n)) } });
const counts = (key: string, c: Record<string, number>): KV => ({
  key,
  value: { kvlistValue: { values: Object.entries(c).map(([k, n]) => i(k, n)) } },
});

/** A record id a collector or the report can deduplicate on: the same session always gets the same one. */
export function recordId(...parts: string[]): string {
  return crypto().createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

const nanos = (ms: number) => `${Math.trunc(ms)}000000`;
const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

/**
 * An OTLP/JSON ExportLogsServiceRequest with one `spine.session` record per session and one
 * `spine.near_miss` per stopped call, one `spine.friction` per class of ordinary work stopped.
 * Counts, ids and friction classes (`~/.npm`, a host, a program name) only: no tool input, file
 * path, prompt or text.
 * Resource attributes come from OTEL_RESOURCE_ATTRIBUTES (spine.team, spine.repo, …).
 */
export function otlpLogsRequest(
  summaries: SessionSummary[],
  resource: Record<string, string>,
  scopeVersion: string,
): LogsRequest {
  const records: LogRecord[] = [];
  for (const x of summaries) {
    const byGuardrail: Record<string, number> = {};
    const byLayer: Record<string, number> = {};
    for (const m of x.nearMisses) {
      byGuardrail[m.guardrail] = (byGuardrail[m.guardrail] ?? 0) + 1;
      byLayer[m.layer] = (byLayer[m.layer] ?? 0) + 1;
    }
    records.push({
      timeUnixNano: nanos(x.startMs),
      observedTimeUnixNano: nanos(x.endMs),
      eventName: 'spine.session',
      body: { stringValue: 'spine.session' },
      attributes: [
        s('event.name', 'spine.session'),
        s('spine.record_id', recordId('session', x.sessionId)),
        s('session.id', x.sessionId),
        s('spine.version', x.spineVersion),
        i('spine.tool_calls', sum(x.toolCallsByAgent)),
        counts('spine.tool_calls_by_agent', x.toolCallsByAgent),
        i('spine.near_misses', x.nearMisses.length),
        counts('spine.near_misses_by_guardrail', byGuardrail),
        counts('spine.near_misses_by_layer', byLayer),
        i('spine.friction_total', sum(x.friction ?? {})),
        counts('spine.friction_by_class', x.friction ?? {}),
        counts('spine.asks_by_guardrail', x.asks ?? {}),
        counts('spine.allow_rules', x.allowRules ?? {}),
        counts('spine.skills_shared', x.skillsShared),
        counts('spine.skills_local', x.skillsLocal),
        i('spine.subagents', sum(x.subagentsByType)),
        counts('spine.subagents_by_type', x.subagentsByType),
        i('spine.duration_ms', x.endMs - x.startMs),
        // Joins a package's sessions to its launch directory in a monorepo (docs/monorepos.md).
        ...(x.launchDir ? [s('spine.launch_dir', x.launchDir)] : []),
        // The team zone in a repo teams share: per-team views in the org's own collector.
        ...(x.zone ? [s('spine.zone', x.zone)] : []),
        // Counts the distinct people who answered each ask gate (a pseudonym, never an address).
        ...(x.person ? [s('spine.person', x.person)] : []),
      ],
    });
    for (const m of x.nearMisses) {
      records.push({
        timeUnixNano: nanos(x.startMs),
        eventName: 'spine.near_miss',
        body: { stringValue: 'spine.near_miss' },
        attributes: [
          s('event.name', 'spine.near_miss'),
          s('spine.record_id', recordId('near_miss', x.sessionId, m.key, m.guardrail)),
          s('session.id', x.sessionId),
          s('spine.guardrail.id', m.guardrail),
          s('tool_name', m.tool),
          s('agent_type', m.agentType),
          s('spine.layer', m.layer),
          s('spine.decision', m.decision),
          ...(m.zone ? [s('spine.zone', m.zone)] : []),
        ],
      });
    }
    for (const [key, n] of Object.entries(x.friction ?? {})) {
      const [layer = '', kind = '', ...rest] = key.split(':');
      records.push({
        timeUnixNano: nanos(x.startMs),
        eventName: 'spine.friction',
        body: { stringValue: 'spine.friction' },
        attributes: [
          s('event.name', 'spine.friction'),
          s('spine.record_id', recordId('friction', x.sessionId, key)),
          s('session.id', x.sessionId),
          s('spine.layer', layer),
          s('spine.friction.kind', kind),
          s('spine.friction.class', rest.join(':')),
          i('spine.count', n),
        ],
      });
    }
  }
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [s('service.name', 'spine'), ...Object.entries(resource).map(([k, v]) => s(k, v))],
        },
        scopeLogs: [{ scope: { name: 'dev.spine.audit', version: scopeVersion }, logRecords: records }],
      },
    ],
  };
}
