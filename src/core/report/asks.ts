import type { AskDay, Facts } from './facts.js';

/**
 * Ask gates: for every spine `ask` guardrail, how often it asked and what people answered. A gate
 * asked many times, allowed every time, in several teams, is friction a person pays for nothing:
 * the report recommends loosening it (allow it, or narrow it), with the evidence — unless a call a
 * person let through it was then stopped by the OS sandbox reading a secret: that gate is doing
 * its job, and loosening it would let the next one run unasked.
 */
export interface AskRow {
  guardrail: string;
  asked: number;
  allowed: number;
  refused: number;
  /** Answers an older client's record cannot tell (docs/clients.md). */
  unknown: number;
  sessions: number;
  /** Calls let through the gate that the OS sandbox then stopped reading a secret. */
  nearMisses: number;
  /** Distinct people asked, across teams (a person in two teams counts once); 0 when no hook knew who. */
  people: number;
  teams: { team: string; asked: number; allowed: number; refused: number; people: number }[];
  /**
   * loosen: asked at least LOOSEN_MIN_ASKED times in 2+ teams, never refused, every answer known,
   * and no call it let through was a near-miss.
   */
  verdict: 'loosen' | 'keep' | 'needs-data';
}

export const LOOSEN_MIN_ASKED = 20;
const LOOSEN_MIN_TEAMS = 2;
const OUTCOMES = ['allowed', 'refused', 'unknown'] as const;
/** A session's `rule:near_miss` count: calls let through the gate that the sandbox then stopped. */
const NEAR_MISS = 'near_miss';
/** The hook's pseudonym for a person (hooks/person-id.ts): anything else is not counted. */
export const PERSON_ID = /^p-[0-9a-f]{16}$/;
/** A day's people per gate in one repository: more is not a team, it is a fabricated log. */
const MAX_PEOPLE = 1000;

/**
 * Adds one session's answers (`rule:outcome` → n) to a day's per-rule counts, and the person
 * asked, when known, to each rule's people.
 */
export function addAskCounts(
  into: Record<string, AskDay>,
  answers: Record<string, number>,
  person?: string,
): Record<string, AskDay> {
  const seen = new Set<string>();
  for (const [key, n] of Object.entries(answers)) {
    const at = key.lastIndexOf(':');
    const rule = key.slice(0, at);
    const outcome = key.slice(at + 1) as (typeof OUTCOMES)[number] | typeof NEAR_MISS;
    if (at <= 0 || !(OUTCOMES as readonly string[]).concat(NEAR_MISS).includes(outcome) || !(n > 0)) continue;
    const day = into[rule] ?? { allowed: 0, refused: 0, unknown: 0, sessions: 0 };
    into[rule] = day;
    if (outcome === NEAR_MISS) {
      day.nearMisses = (day.nearMisses ?? 0) + n;
      continue;
    }
    day[outcome] += n;
    if (!seen.has(rule)) day.sessions++;
    seen.add(rule);
    if (person && PERSON_ID.test(person)) day.people = withPerson(day.people, person);
  }
  return into;
}

function withPerson(people: string[] | undefined, person: string): string[] {
  if (!people) return [person];
  if (people.includes(person) || people.length >= MAX_PEOPLE) return people;
  return [...people, person].sort();
}

type Counts = Omit<AskDay, 'people' | 'nearMisses'> & { people: Set<string>; nearMisses: number };
type Tally = Counts & { teams: Map<string, Counts> };
export type AskState = Map<string, Tally>;

export function createAskState(): AskState {
  return new Map();
}

export function addAsks(state: AskState, facts: Facts, team: string, since: string | null): void {
  for (const day of facts.activity?.days ?? []) {
    if (!day.asks || (since && day.date < since)) continue;
    for (const [rule, a] of Object.entries(day.asks)) {
      const t = state.get(rule) ?? { ...emptyCounts(), teams: new Map() };
      state.set(rule, t);
      const byTeam = t.teams.get(team) ?? emptyCounts();
      t.teams.set(team, byTeam);
      for (const k of [...OUTCOMES, 'sessions'] as const) {
        t[k] += a[k];
        byTeam[k] += a[k];
      }
      t.nearMisses += a.nearMisses ?? 0;
      byTeam.nearMisses += a.nearMisses ?? 0;
      for (const person of a.people ?? []) {
        if (!PERSON_ID.test(person)) continue;
        t.people.add(person);
        byTeam.people.add(person);
      }
    }
  }
}

function emptyCounts(): Counts {
  return { allowed: 0, refused: 0, unknown: 0, sessions: 0, nearMisses: 0, people: new Set() };
}

export function askRows(state: AskState): AskRow[] {
  return [...state]
    .map(([guardrail, t]): AskRow => {
      const asked = t.allowed + t.refused + t.unknown;
      const teams = [...t.teams]
        .map(([team, x]) => ({
          team,
          asked: x.allowed + x.refused + x.unknown,
          allowed: x.allowed,
          refused: x.refused,
          people: x.people.size,
        }))
        .sort((a, b) => b.asked - a.asked || (a.team < b.team ? -1 : 1));
      const enough = asked >= LOOSEN_MIN_ASKED && teams.length >= LOOSEN_MIN_TEAMS;
      return {
        guardrail,
        asked,
        allowed: t.allowed,
        refused: t.refused,
        unknown: t.unknown,
        sessions: t.sessions,
        nearMisses: t.nearMisses,
        people: t.people.size,
        teams,
        verdict: !enough
          ? 'needs-data'
          : t.refused === 0 && t.unknown === 0 && t.nearMisses === 0
            ? 'loosen'
            : 'keep',
      };
    })
    .sort((a, b) => b.asked - a.asked || (a.guardrail < b.guardrail ? -1 : 1));
}
