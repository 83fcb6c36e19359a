import type { SessionSummary } from './extract.js';
import { A } from './otlp-attributes.js';
import type { OtlpValues } from './otlp-values.js';

/**
 * A spine.session record: the hook's summary of one session, its counts by guardrail (near-misses,
 * answered asks), by skill and by friction class. Undefined without a record id (it could not be
 * deduplicated across files).
 */
export function readSession(
  values: OtlpValues,
  attr: Int32Array,
  repo: string,
  team: string,
  day: string,
): SessionSummary | undefined {
  const id = values.anyString(attr[A['spine.record_id']]!);
  if (!id) return undefined;
  return {
    id,
    repo,
    team,
    day,
    toolCalls: values.anyInt(attr[A['spine.tool_calls']]!),
    nearMisses: values.anyCounts(attr[A['spine.near_misses_by_guardrail']]!, {}),
    skillUses: values.anyCounts(
      attr[A['spine.skills_local']]!,
      values.anyCounts(attr[A['spine.skills_shared']]!, {}),
    ),
    friction: values.anyCounts(attr[A['spine.friction_by_class']]!, {}),
    asks: values.anyCounts(attr[A['spine.asks_by_guardrail']]!, {}),
    person: values.anyString(attr[A['spine.person']]!),
    allowRules: values.anyCounts(attr[A['spine.allow_rules']]!, {}),
    session: values.anyHash(attr[A['session.id']]!),
    zone: values.anyString(attr[A['spine.zone']]!),
  };
}
