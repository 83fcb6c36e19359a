import { addAllowRuleCounts } from '../report/allow-rules.js';
import { addAskCounts } from '../report/asks.js';
import type { AllowRuleDay, AskDay, DayActivity } from '../report/facts.js';
import { addClientDay, type ClientDay, type Extracted, type SessionSummary } from './extract.js';
import { IdSet } from './id-set.js';

interface DayState {
  sessions: number;
  toolCalls: number;
  nearMisses: Record<string, number>;
  nearMissSessions: Record<string, number>;
  skillUses: Record<string, number>;
  friction?: Record<string, number>;
  asks?: Record<string, AskDay>;
  allowRules?: Record<string, AllowRuleDay>;
}

/** Where a repo's activity came from: spine's own session records, or only Claude Code's events. */
export type ActivitySource = 'spine' | 'claude-code';

export interface RepoTelemetry {
  repo: string;
  team: string;
  source: ActivitySource;
  days: DayActivity[];
  /**
   * In a repo teams share (docs/monorepos.md): the same days split by the `spine.zone` the hook
   * wrote on each session record; `zone: null` holds the sessions in no zone and Claude Code's
   * own events (they carry no zone). Absent when no record of the repo named a zone.
   */
  zones?: { zone: string | null; days: DayActivity[] }[];
}

export interface TelemetryCoverage {
  files: number;
  records: number;
  sessions: number;
  duplicateSessions: number;
  nearMissRecords: number;
  /** Records with no spine.repo, and no session id shared with a spine.session record. */
  unattributed: number;
  /**
   * Records with no spine.repo (a newer client's own events: it ignores the per-repo attributes
   * of project settings) whose session id is a spine.session record's: that record attributes
   * the session, and counts its activity.
   */
  joinedBySession: number;
  badLines: number;
  /** The first few unreadable places, `file:line: cause`. */
  problems: string[];
}

/**
 * Folds extracted records into per-repo, per-day activity. spine.session records are counted once
 * per record id, however often an outbox resent them; Claude Code's own events fill in a repo-day
 * only where no spine.session record exists for it (the hook did not run there), so nothing is
 * counted twice. Memory grows with repos × days and 16 bytes per session, not with records.
 */
export function createTelemetryFold() {
  const seen = new IdSet();
  /** Per repo: its days, and the same sessions by team zone ('' for none). */
  const spine = new Map<
    string,
    { team: string; days: Map<string, DayState>; zones: Map<string, Map<string, DayState>> }
  >();
  const client = new Map<string, ClientDay>();
  const coverage: TelemetryCoverage = {
    files: 0,
    records: 0,
    sessions: 0,
    duplicateSessions: 0,
    nearMissRecords: 0,
    unattributed: 0,
    joinedBySession: 0,
    badLines: 0,
    problems: [],
  };
  /** Session-id hashes of the spine.session records, and the unattributed records per hash. */
  const spineSessions = new Set<number>();
  const unattributedBySession = new Map<number, number>();

  function addSession(s: SessionSummary): void {
    if (!seen.add(s.id)) {
      coverage.duplicateSessions++;
      return;
    }
    coverage.sessions++;
    if (s.session !== undefined) spineSessions.add(s.session);
    let repo = spine.get(s.repo);
    if (!repo) {
      repo = { team: s.team, days: new Map(), zones: new Map() };
      spine.set(s.repo, repo);
    }
    addSessionToDay(repo.days, s);
    let zone = repo.zones.get(s.zone ?? '');
    if (!zone) {
      zone = new Map();
      repo.zones.set(s.zone ?? '', zone);
    }
    addSessionToDay(zone, s);
  }

  function addSessionToDay(days: Map<string, DayState>, s: SessionSummary): void {
    let day = days.get(s.day);
    if (!day) {
      day = { sessions: 0, toolCalls: 0, nearMisses: {}, nearMissSessions: {}, skillUses: {} };
      days.set(s.day, day);
    }
    day.sessions++;
    day.toolCalls += s.toolCalls;
    for (const [rule, n] of Object.entries(s.nearMisses)) {
      day.nearMisses[rule] = (day.nearMisses[rule] ?? 0) + n;
      day.nearMissSessions[rule] = (day.nearMissSessions[rule] ?? 0) + 1;
    }
    for (const [skill, n] of Object.entries(s.skillUses))
      day.skillUses[skill] = (day.skillUses[skill] ?? 0) + n;
    if (s.allowRules && Object.keys(s.allowRules).length > 0)
      day.allowRules = addAllowRuleCounts(day.allowRules ?? {}, s.allowRules);
    if (s.asks && Object.keys(s.asks).length > 0) day.asks = addAskCounts(day.asks ?? {}, s.asks, s.person);
    for (const [key, n] of Object.entries(s.friction ?? {})) {
      day.friction ??= {};
      day.friction[key] = (day.friction[key] ?? 0) + n;
    }
  }

  return {
    coverage,
    addFile(extracted: Extracted, badLines: number, problems: string[]): void {
      coverage.files++;
      coverage.records += extracted.records;
      coverage.nearMissRecords += extracted.nearMissRecords;
      coverage.unattributed += extracted.unattributed;
      coverage.badLines += badLines;
      for (const p of problems) if (coverage.problems.length < 20) coverage.problems.push(p);
      for (const s of extracted.sessions) addSession(s);
      for (const [key, cd] of extracted.clientDays) addClientDay(client, key, cd);
      for (const [session, n] of extracted.unattributedBySession)
        unattributedBySession.set(session, (unattributedBySession.get(session) ?? 0) + n);
    },
    result(): RepoTelemetry[] {
      // Files arrive in any order: the join waits until every spine.session record is known.
      for (const [session, n] of unattributedBySession) {
        if (!spineSessions.has(session)) continue;
        coverage.joinedBySession += n;
        coverage.unattributed -= n;
      }
      unattributedBySession.clear();
      const out = new Map<
        string,
        RepoTelemetry & { map: Map<string, DayActivity>; zoneMaps?: Map<string, Map<string, DayActivity>> }
      >();
      const dayMap = (days: Map<string, DayState>) =>
        new Map([...days].map(([date, d]) => [date, { date, ...d }] as const));
      for (const [id, repo] of spine) {
        const zoned = [...repo.zones.keys()].some((z) => z !== '');
        out.set(id, {
          repo: id,
          team: repo.team,
          source: 'spine',
          days: [],
          map: dayMap(repo.days),
          ...(zoned
            ? { zoneMaps: new Map([...repo.zones].map(([z, days]) => [z, dayMap(days)] as const)) }
            : {}),
        });
      }
      for (const cd of client.values()) {
        let repo = out.get(cd.repo);
        if (!repo) {
          repo = { repo: cd.repo, team: cd.team, source: 'claude-code', days: [], map: new Map() };
          out.set(cd.repo, repo);
        }
        if (repo.map.has(cd.day)) continue;
        const sessions = Math.max(1, cd.sessions.size);
        const nearMissSessions = Object.fromEntries(
          Object.keys(cd.nearMisses).map((r) => [r, Math.min(sessions, cd.nearMisses[r]!)]),
        );
        const day: DayActivity = {
          date: cd.day,
          sessions,
          toolCalls: cd.toolCalls,
          nearMisses: cd.nearMisses,
          nearMissSessions,
          skillUses: {},
        };
        repo.map.set(cd.day, day);
        // The client's events carry no zone: in a repo with zones they count for no zone.
        if (repo.zoneMaps) {
          const rest = repo.zoneMaps.get('') ?? new Map<string, DayActivity>();
          rest.set(cd.day, day);
          repo.zoneMaps.set('', rest);
        }
      }
      const sorted = (map: Map<string, DayActivity>) =>
        [...map.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
      return [...out.values()]
        .map(({ map, zoneMaps, ...repo }) => ({
          ...repo,
          days: sorted(map),
          ...(zoneMaps
            ? {
                zones: [...zoneMaps]
                  .map(([zone, days]) => ({ zone: zone || null, days: sorted(days) }))
                  .sort((a, b) => ((a.zone ?? '\uffff') < (b.zone ?? '\uffff') ? -1 : 1)),
              }
            : {}),
        }))
        .sort((a, b) => (a.repo < b.repo ? -1 : 1));
    },
  };
}
