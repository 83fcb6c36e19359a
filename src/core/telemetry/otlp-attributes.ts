import { ascii } from './json-cursor.js';

/**
 * The record attributes the report reads. The walk remembers where each one's value starts, by
 * index into this list (`A[name]`); a signal reads the values it needs from there.
 */
const WANTED_NAMES = [
  'event.name',
  'spine.record_id',
  'spine.tool_calls',
  'spine.near_misses_by_guardrail',
  'spine.skills_shared',
  'spine.skills_local',
  'spine.friction_by_class',
  'spine.asks_by_guardrail',
  'spine.person',
  'spine.allow_rules',
  'spine.zone',
  'session.id',
  'decision',
  'source',
] as const;

export const WANTED = ascii([...WANTED_NAMES]);

export const A = Object.fromEntries(WANTED_NAMES.map((n, i) => [n, i])) as Record<
  (typeof WANTED_NAMES)[number],
  number
>;
