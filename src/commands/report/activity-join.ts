import { repoIdFromUrl } from '../../core/repo-id.js';
import type { DayActivity, Facts, ZoneActivity } from '../../core/report/facts.js';
import type { ActivitySourceLabel } from '../../core/report/report-model.js';
import type { RepoTelemetry, TelemetryCoverage } from '../../core/telemetry/fold.js';

/**
 * Joins activity from telemetry onto facts from git, on the repo id (`host/path` of the origin
 * URL): telemetry, gathered from every developer's machine by the org's collector, wins over the
 * audit log of the one machine where facts were taken. Remembers, per team, which source fed it.
 */
export function createActivityJoin(telemetry: RepoTelemetry[]) {
  const byRepo = new Map(telemetry.map((t) => [t.repo, t]));
  const used = new Set<string>();
  const sources = new Map<string, ActivitySourceLabel>();
  const rank: Record<ActivitySourceLabel, number> = {
    none: 0,
    'audit-log': 1,
    'claude-code': 2,
    telemetry: 3,
  };
  const note = (team: string, source: ActivitySourceLabel) => {
    const have = sources.get(team);
    if (!have || rank[source] > rank[have]) sources.set(team, source);
  };
  return {
    join(facts: Facts): Facts {
      const id = repoIdFromUrl(facts.repo.remote);
      const t = id ? byRepo.get(id) : undefined;
      const team = facts.team ?? facts.repo.name;
      if (!t) {
        note(team, facts.activity ? 'audit-log' : 'none');
        return facts;
      }
      used.add(t.repo);
      note(team, t.source === 'spine' ? 'telemetry' : 'claude-code');
      const zones = t.zones ? zonesFromTelemetry(facts, t.zones) : facts.zones;
      return { ...facts, activity: { days: t.days }, ...(zones ? { zones } : {}) };
    },
    sources: () =>
      [...sources].map(([team, source]) => ({ team, source })).sort((a, b) => (a.team < b.team ? -1 : 1)),
    /** Repos that sent telemetry but have no facts in this report. */
    unmatched: () => telemetry.filter((t) => !used.has(t.repo)).map((t) => t.repo),
  };
}

/**
 * The repo's team zones with telemetry's activity, as facts carry them (docs/monorepos.md): each
 * zone the facts declare keeps its champion and git history; sessions in no zone count for the
 * repo's own team. The zone is a label the agent could have written (the hook reads the zone map
 * in the repo): where facts declare zones, a name that is none of them counts as no zone, as in
 * the audit log's rollup. Facts without zones (taken before the repo declared any) take telemetry's.
 */
function zonesFromTelemetry(facts: Facts, zones: NonNullable<RepoTelemetry['zones']>): ZoneActivity[] {
  const repoTeam = facts.team ?? facts.repo.name;
  const declared = facts.zones?.length ? new Set(facts.zones.map((z) => z.team)) : undefined;
  const out: ZoneActivity[] = (facts.zones ?? []).map((z) => ({ ...z, days: [] }));
  for (const z of zones) {
    const team = z.zone === null || (declared && !declared.has(z.zone)) ? repoTeam : z.zone;
    const have = out.find((o) => o.team === team);
    if (have) have.days = mergeDays(have.days, z.days);
    else out.push({ team, champion: team === repoTeam ? facts.champion : null, days: z.days });
  }
  return out;
}

/** Two zones' days as one: every count summed, lists of people joined. */
function mergeDays(a: DayActivity[], b: DayActivity[]): DayActivity[] {
  if (a.length === 0) return b;
  const byDate = new Map(a.map((d) => [d.date, d]));
  for (const d of b) {
    const have = byDate.get(d.date);
    byDate.set(d.date, have ? (addCounts(have, d) as DayActivity) : d);
  }
  return [...byDate.values()].sort((x, y) => (x.date < y.date ? -1 : 1));
}

function addCounts(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...new Set([...a, ...b])].sort();
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? addCounts(out[k], v) : v;
    return out;
  }
  return a ?? b;
}

export function telemetryNotes(coverage: TelemetryCoverage, unmatched: string[]): string[] {
  const notes = [
    `Telemetry: ${coverage.records} record(s) in ${coverage.files} file(s); ${coverage.sessions} session(s) from spine, ${coverage.duplicateSessions} resent duplicate(s) dropped.`,
  ];
  if (coverage.badLines)
    notes.push(
      `${coverage.badLines} unreadable telemetry line(s) skipped (--strict refuses them): ${coverage.problems.slice(0, 3).join('; ')}`,
    );
  if (coverage.joinedBySession)
    notes.push(
      `${coverage.joinedBySession} Claude Code record(s) carried no spine.repo attribute but share a session id with spine's session records, which attribute and count them.`,
    );
  if (coverage.unattributed)
    notes.push(
      `${coverage.unattributed} telemetry record(s) carried no spine.repo attribute and count for no repo.`,
    );
  if (unmatched.length)
    notes.push(
      `${unmatched.length} repo(s) sent telemetry but have no facts here: ${unmatched.slice(0, 5).join(', ')}${unmatched.length > 5 ? ', …' : ''}.`,
    );
  return notes;
}
