import { repoIdFromUrl } from '../../core/repo-id.js';
import type { Facts } from '../../core/report/facts.js';
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
      return { ...facts, activity: { days: t.days } };
    },
    sources: () =>
      [...sources].map(([team, source]) => ({ team, source })).sort((a, b) => (a.team < b.team ? -1 : 1)),
    /** Repos that sent telemetry but have no facts in this report. */
    unmatched: () => telemetry.filter((t) => !used.has(t.repo)).map((t) => t.repo),
  };
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
