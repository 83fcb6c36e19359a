import { frictionAction, frictionVerb } from '../../core/report/friction.js';
import type { Report } from '../../core/report/report-model.js';
import type { Output } from '../../output/output.js';

const STATUS = { 'on-track': 'on track', watch: 'watch', act: 'act', 'no-data': 'no data' } as const;
const pct = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);
const num = (v: number | null, digits = 1) => (v === null ? 'suppressed' : v.toFixed(digits));
const count = (v: number) => v.toLocaleString('en-US');
const TREND = {
  falling: 'falling',
  flat: 'flat',
  rising: 'rising',
  'insufficient-data': 'not enough weeks yet',
} as const;

/** The human summary: one section per question the report answers. */
export function printReport(report: Report, out: Output): void {
  const c = out.color;
  const t = report.totals;
  out.out(`${c.bold('spine report')} as of ${report.asOf}: ${t.repos} repo(s), ${t.teams} team(s)`);
  out.out(c.bold(report.summary));
  const paint = { 'on-track': c.green, watch: c.yellow, act: c.red, 'no-data': c.dim } as const;
  for (const h of report.headline) {
    out.out(
      `  ${paint[h.status](STATUS[h.status].padEnd(8))} ${h.question} ${h.display}${h.change ? c.dim(` (${h.change})`) : ''}`,
    );
    if (h.drivers.length) out.out(c.dim(`           ${h.drivers.slice(0, 3).join('; ')}`));
    // A verdict that says act names its moves below, so the two never disagree.
    const moves = report.recommendations.flatMap((r, i) => (r.resolves === h.key ? [i + 1] : []));
    if (h.status === 'act' && moves.length)
      out.out(
        `           ${c.red('→')} this week: ${moves.length === 1 ? 'item' : 'items'} ${moves.join(', ')}`,
      );
    if (h.disagree?.length)
      out.out(c.dim(`           disagreeing: ${h.disagree.map((d) => `${d.team} ${d.verdict}`).join(', ')}`));
  }
  const a = report.adoption;
  if (a.notOnboarded.length)
    out.out(
      `  adoption: ${a.onboarded} of ${a.onboarded + a.notOnboarded.length} repositories onboarded; not yet: ${a.notOnboarded.join(', ')}`,
    );
  out.out(c.bold(`This week${report.recommendations.length ? '' : ': nothing needs doing'}`));
  for (const [i, r] of report.recommendations.slice(0, 10).entries())
    out.out(`  ${i + 1}. ${r.title} — ${r.evidence}\n     ${c.cyan(r.command)} (${r.who})`);
  if (report.recommendations.length > 10)
    out.out(c.dim(`  … ${report.recommendations.length - 10} more in --json and --html`));
  out.out('');
  out.out(
    `  releases (${report.releases.source === 'spine-tags' ? 'from spine tags' : 'from versions seen in facts'}): latest ${report.releases.latest ?? 'n/a'}, ${pct(report.lag.shareOnLatest)} of repos on it`,
  );
  out.out(`  drift: ${pct(report.drift.cleanShare)} of ${report.drift.reposChecked} checked repo(s) clean`);
  if (report.drift.reposWithTrackedSecrets)
    out.out(
      `    secrets tracked by git in ${report.drift.reposWithTrackedSecrets} repo(s): see secret-tracked`,
    );
  if (report.drift.unguardedLaunchDirs)
    out.out(
      `    launch directories without the spine: ${report.drift.unguardedLaunchDirs} in ${report.drift.reposWithUnguardedLaunchDirs} repo(s) (${report.repos
        .filter((r) => r.unguardedLaunchDirs > 0)
        .map((r) => `${r.path}: ${r.unguardedLaunchDirs}`)
        .join(', ')}): see launch-dir-unguarded`,
    );
  if (report.drift.oldestOpen)
    out.out(
      `    oldest open finding: ${report.drift.oldestOpen.code} in ${report.drift.oldestOpen.repo} since ${report.drift.oldestOpen.since}`,
    );
  out.out(
    `  near-misses: ${count(t.nearMisses)} in ${count(t.toolCalls)} tool calls (${t.nearMissRate === null ? `too few sessions for a rate` : `${num(t.nearMissRate)} per 1,000`}); trend ${c.bold(TREND[report.nearMisses.org.trend.verdict])}`,
  );
  for (const rule of report.nearMisses.rules.slice(0, 5))
    out.out(
      `    ${rule.rule}: ${rule.hits} hit(s), ${rule.teams} team(s)${rule.hint ? ` — ${rule.hint}` : ''}`,
    );
  for (const g of report.evaluation)
    out.out(
      `  on trial: ${g.guardrail} would have refused ${g.hits} call(s), ${g.newlyRefused} of them calls that ran — ${g.verdict === 'enforce' ? 'enforce it' : g.verdict === 'revise' ? 'revise it first' : 'too few sessions to judge'}${g.samples[0] ? ` (e.g. ${g.samples[0]})` : ''}`,
    );
  for (const f of report.friction.slice(0, 5))
    out.out(
      `  friction: ${f.class} ${frictionVerb(f.kind)} ${f.hits} time(s) in ${f.teams.length} team(s) (${f.teams.map((t) => `${t.team} ${t.hits}`).join(', ')}): ${frictionAction(f)}`,
    );
  for (const a of report.asks.slice(0, 5))
    out.out(
      `  ask gate ${a.guardrail}: asked ${a.asked} time(s)${a.people ? ` (${a.people} ${a.people === 1 ? 'person' : 'people'})` : ''} in ${a.teams.length} team(s), allowed ${a.allowed}, refused ${a.refused}${a.unknown ? `, ${a.unknown} unknown` : ''}${a.verdict === 'loosen' ? ' — loosen it' : ''}`,
    );
  for (const a of report.allowRules.slice(0, 5))
    out.out(
      `  allow rule ${a.guardrail}: ${a.nearMisses} of ${a.calls} allowed call(s) then stopped by the sandbox reading a secret, in ${a.teams.filter((t) => t.nearMisses > 0).length} team(s)${a.verdict === 'tighten' ? ' — tighten it' : ''}`,
    );
  out.out(
    `  skills: cross-team reuse ${pct(t.crossTeamReuseShare)} (uses of team-contributed skills by other teams); platform skills: reach ${pct(t.platformReach)}, activation ${pct(t.platformActivation)}`,
  );
  for (const s of report.skills)
    out.out(
      `    ${s.name}: installed by ${s.installedIn.length} team(s), used by ${s.usedIn.length} in 28 days${s.dead ? c.yellow(' (dead)') : ''}`,
    );
  for (const cand of report.contributeBackCandidates)
    out.out(`    contribute-back candidate: ${cand.skills.join(', ')} (teams ${cand.teams.join(', ')})`);
  out.out(
    `  time to the pioneer’s level (${report.parity.pioneer ?? 'n/a'}${report.parity.pioneerLevel === null ? '' : `, ${num(report.parity.pioneerLevel, 2)}× its commits per person before`}):`,
  );
  for (const p of report.parity.teams) {
    const what =
      p.status === 'reached'
        ? `reached in week ${p.week}`
        : p.status === 'not-yet'
          ? `not yet, ${p.observedWeeks - 1} week(s) in`
          : p.status === 'insufficient-data'
            ? 'no history before onboarding to compare with'
            : p.status;
    out.out(`    ${p.team}: ${what}`);
  }
  for (const r of report.repos.filter((r) => r.zones?.length)) {
    out.out(`  team zones of ${r.path}:`);
    for (const z of r.zones!)
      out.out(
        `    ${z.team}${z.champion ? ` (${z.champion})` : ''}: ${count(z.sessions)} session-day(s), ${count(z.toolCalls)} tool calls, ${count(z.nearMisses)} near-miss(es), ${count(z.skillUses)} skill use(s)${z.firstActivity ? `, since ${z.firstActivity}` : ''}`,
      );
  }
  out.out(
    `  coverage: ${report.coverage.reposWithActivity} of ${report.coverage.repos} repo(s) had activity data, ${count(report.coverage.sessions)} session-day(s)`,
  );
  for (const r of report.repos.filter((r) => r.error)) out.err(`  ${r.path}: ${c.red(r.error ?? '')}`);
  for (const r of report.repos.filter((r) => r.doctorUnavailable))
    out.err(`  ${r.path}: ${c.yellow(`doctor unavailable: ${r.doctorUnavailable}`)}`);
  for (const note of report.coverage.notes) out.out(c.dim(`  ${note}`));
}
