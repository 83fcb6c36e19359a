import type { Report } from '../../core/report/report-model.js';
import type { Output } from '../../output/output.js';

const pct = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);
const num = (v: number | null, digits = 1) => (v === null ? 'suppressed' : v.toFixed(digits));

/** The human summary: one section per question the report answers. */
export function printReport(report: Report, out: Output): void {
  const c = out.color;
  const t = report.totals;
  out.out(`${c.bold('spine report')} as of ${report.asOf}: ${t.repos} repo(s), ${t.teams} team(s)`);
  out.out(
    `  releases (${report.releases.source === 'spine-tags' ? 'from spine tags' : 'from versions seen in facts'}): latest ${report.releases.latest ?? 'n/a'}, ${pct(report.lag.shareOnLatest)} of repos on it`,
  );
  out.out(`  drift: ${pct(report.drift.cleanShare)} of ${report.drift.reposChecked} checked repo(s) clean`);
  if (report.drift.oldestOpen)
    out.out(
      `    oldest open finding: ${report.drift.oldestOpen.code} in ${report.drift.oldestOpen.repo} since ${report.drift.oldestOpen.since}`,
    );
  out.out(
    `  near-misses: ${t.nearMisses} in ${t.toolCalls} tool calls (${num(t.nearMissRate)} per 1,000); trend ${c.bold(report.nearMisses.org.trend.verdict)}`,
  );
  for (const rule of report.nearMisses.rules.slice(0, 5))
    out.out(
      `    ${rule.rule}: ${rule.hits} hit(s), ${rule.teams} team(s)${rule.hint ? ` — ${rule.hint}` : ''}`,
    );
  out.out(`  skills: cross-team reuse ${pct(t.crossTeamReuseShare)} of ${t.skillUses} use(s)`);
  for (const s of report.skills)
    out.out(
      `    ${s.name}: installed by ${s.installedIn.length} team(s), used by ${s.usedIn.length} in 28 days${s.dead ? c.yellow(' (dead)') : ''}`,
    );
  for (const cand of report.contributeBackCandidates)
    out.out(`    contribute-back candidate: ${cand.skills.join(', ')} (teams ${cand.teams.join(', ')})`);
  out.out(
    `  parity with pioneer ${report.parity.pioneer ?? 'n/a'} (level ${num(report.parity.pioneerLevel, 2)}):`,
  );
  for (const p of report.parity.teams) {
    const what =
      p.status === 'reached'
        ? `reached in week ${p.week}`
        : p.status === 'not-yet'
          ? `not yet (observed ${p.observedWeeks} week(s))`
          : p.status;
    out.out(`    ${p.team}: ${what}`);
  }
  out.out(
    `  coverage: ${report.coverage.reposWithActivity} of ${report.coverage.repos} repo(s) had activity data, ${report.coverage.sessions} session-day(s)`,
  );
  for (const r of report.repos.filter((r) => r.error)) out.err(`  ${r.path}: ${c.red(r.error ?? '')}`);
  for (const r of report.repos.filter((r) => r.doctorUnavailable))
    out.err(`  ${r.path}: ${c.yellow(`doctor unavailable: ${r.doctorUnavailable}`)}`);
  for (const note of report.coverage.notes) out.out(c.dim(`  ${note}`));
}
