import {
  type AnyValue,
  asCounts,
  asInt,
  asString,
  attributeMap,
  type ExportLogsServiceRequest,
  type KeyValue,
  NEAR_MISS_EVENT,
  SESSION_EVENT,
} from './otlp.js';

/** One spine.session record, reduced to what the report counts. */
export interface SessionSummary {
  id: string;
  repo: string;
  team: string;
  day: string;
  toolCalls: number;
  nearMisses: Record<string, number>;
  skillUses: Record<string, number>;
}

/** Claude Code's own events for one repo and day: activity spine's hook did not record. */
export interface ClientDay {
  repo: string;
  team: string;
  day: string;
  sessions: Set<string>;
  toolCalls: number;
  nearMisses: Record<string, number>;
}

/** What one file (or one request) held, before deduplication across files. */
export interface Extracted {
  records: number;
  sessions: SessionSummary[];
  nearMissRecords: number;
  /** Records without a spine.repo resource attribute: not attributable to a team repo. */
  unattributed: number;
  clientDays: Map<string, ClientDay>;
}

export function emptyExtracted(): Extracted {
  return { records: 0, sessions: [], nearMissRecords: 0, unattributed: 0, clientDays: new Map() };
}

/** Near-misses the client decided on its own (a static rule), not tied to a spine guardrail id. */
export const CLIENT_RULE_PREFIX = 'client:';

/**
 * Folds one export request into `into`. Pure and allocation-light: this runs for every one of
 * millions of records. Records that are neither spine's nor Claude Code's are counted and skipped.
 */
export function extractRequest(request: ExportLogsServiceRequest, into: Extracted): void {
  for (const rl of request.resourceLogs ?? []) {
    const resource = attributeMap(rl.resource?.attributes);
    const repo = asString(resource.get('spine.repo'));
    const team = asString(resource.get('spine.team')) ?? '';
    for (const sl of rl.scopeLogs ?? []) {
      for (const record of sl.logRecords ?? []) {
        into.records++;
        if (!repo) {
          into.unattributed++;
          continue;
        }
        const attributes = pick(record.attributes);
        const name = record.eventName ?? asString(attributes.get('event.name')) ?? asString(record.body);
        const day = dayOf(record.timeUnixNano ?? record.observedTimeUnixNano);
        if (!day || !name) continue;
        if (name === SESSION_EVENT) {
          const id = asString(attributes.get('spine.record_id'));
          if (!id) continue;
          into.sessions.push({
            id,
            repo,
            team,
            day,
            toolCalls: asInt(attributes.get('spine.tool_calls')),
            nearMisses: asCounts(attributes.get('spine.near_misses_by_guardrail')),
            skillUses: {
              ...asCounts(attributes.get('spine.skills_shared')),
              ...asCounts(attributes.get('spine.skills_local')),
            },
          });
        } else if (name === NEAR_MISS_EVENT) into.nearMissRecords++;
        else if (name === 'claude_code.tool_result' || name === 'tool_result' || isReject(name, attributes)) {
          const key = `${repo}\u0000${day}`;
          let cd = into.clientDays.get(key);
          if (!cd) {
            cd = { repo, team, day, sessions: new Set(), toolCalls: 0, nearMisses: {} };
            into.clientDays.set(key, cd);
          }
          const session = asString(attributes.get('session.id'));
          if (session) cd.sessions.add(session);
          if (name.endsWith('tool_result')) cd.toolCalls++;
          else {
            const rule = CLIENT_RULE_PREFIX + (asString(attributes.get('source')) ?? 'unknown');
            cd.nearMisses[rule] = (cd.nearMisses[rule] ?? 0) + 1;
          }
        }
      }
    }
  }
}

/** The attributes the report reads, by a linear scan: no map of every key for millions of records. */
const WANTED = new Set([
  'event.name',
  'spine.record_id',
  'spine.tool_calls',
  'spine.near_misses_by_guardrail',
  'spine.skills_shared',
  'spine.skills_local',
  'session.id',
  'decision',
  'source',
]);

function pick(attributes: KeyValue[] | undefined): Map<string, AnyValue> {
  const map = new Map<string, AnyValue>();
  if (!attributes) return map;
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i]!;
    if (a && WANTED.has(a.key) && a.value) map.set(a.key, a.value);
  }
  return map;
}

function isReject(name: string, attributes: Map<string, AnyValue>): boolean {
  return (
    (name === 'claude_code.tool_decision' || name === 'tool_decision') &&
    asString(attributes.get('decision')) === 'reject'
  );
}

function dayOf(nanos: string | number | undefined): string | undefined {
  if (nanos === undefined) return undefined;
  const ms = typeof nanos === 'number' ? nanos / 1e6 : Number(String(nanos).slice(0, -6) || '0');
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return new Date(ms).toISOString().slice(0, 10);
}
