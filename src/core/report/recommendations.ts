import { actRecommendations } from './act-recommendations.js';
import { addDays } from './dates.js';
import { frictionAction, frictionVerb } from './friction.js';
import { type ReportBody, repoLabel } from './headline.js';
import type { PeriodRates } from './period.js';
import type { Headline, Recommendation } from './report-model.js';
import type { ReportThresholds } from './thresholds.js';

/** Fewer refusals of one class than this are noise, not a pattern worth a spine change. */
const FRICTION_MIN_HITS = 3;

/**
 * "This week": what the platform team can act on, each with its evidence, the command and who
 * runs it, most impact first. Ask gates are judged by what people answered (report/asks.ts).
 */
export function recommendationsOf(
  report: ReportBody,
  t: ReportThresholds,
  rates: PeriodRates,
  firstActivity: string | null,
  headline: Headline[],
): Recommendation[] {
  const recs: Recommendation[] = [];
  const acts = (key: Headline['key']) => headline.some((h) => h.key === key && h.status === 'act');
  const teamCount = report.totals.teams;
  const orgRate = rates.org.now ?? report.totals.nearMissRate;

  for (const r of report.repos.filter((x) => x.lockedRemoved > 0)) {
    const rate = rates.teams.get(r.team)?.now ?? r.nearMissRate;
    const rateNote =
      rate !== null && orgRate !== null
        ? `; the team runs ${rate.toFixed(1)} near-misses per 1,000 calls against ${orgRate.toFixed(1)} for the org`
        : '';
    recs.push({
      kind: 'locked-removed',
      title: `Restore the locked guardrails in ${repoLabel(r.path)} (${r.team})`,
      evidence: `${r.lockedRemoved} locked rule(s) or setting(s) removed or overridden${rateNote}`,
      command: `spine doctor --fix   # in ${repoLabel(r.path)}`,
      who: r.champion ?? `${r.team}’s champion`,
      impact: 1000 + r.lockedRemoved,
      resolves: 'drift',
    });
  }

  for (const r of report.repos.filter((x) => x.unguardedLaunchDirs > 0)) {
    recs.push({
      kind: 'unguarded-launch-dirs',
      title: `Guard the launch directories of ${repoLabel(r.path)} (${r.team})`,
      evidence: `${r.unguardedLaunchDirs} package folder(s) where an agent starts without the spine's settings`,
      command: `spine doctor --fix   # in ${repoLabel(r.path)}`,
      who: r.champion ?? `${r.team}’s champion`,
      impact: 900 + r.unguardedLaunchDirs,
      resolves: 'drift',
    });
  }

  // When the lag verdict says act, every repo behind is part of the way back, not only the far ones.
  const behindFrom = acts('lag') ? 1 : t.lag.behind;
  const behind = new Map<string, typeof report.repos>();
  for (const r of report.repos.filter((x) => (x.lagReleases ?? 0) >= behindFrom))
    behind.set(r.team, [...(behind.get(r.team) ?? []), r]);
  for (const [team, repos] of behind) {
    const most = Math.max(...repos.map((r) => r.lagReleases!));
    const days = Math.max(...repos.map((r) => r.lagDays ?? 0));
    recs.push({
      kind: 'behind',
      title: `Move ${team} to ${report.releases.latest ?? 'the latest release'}`,
      evidence: `${repos.map((r) => `${repoLabel(r.path)} on ${r.version}`).join(', ')}: ${most} releases behind, the first newer one out ${days} days`,
      command: 'spine update',
      who: repos[0]!.champion ?? `${team}’s champion`,
      impact: 700 + most * 10 + repos.length,
      resolves: 'lag',
    });
  }

  for (const rule of report.nearMisses.rules.filter((r) => r.hint?.startsWith('noisy'))) {
    recs.push({
      kind: 'noisy-rule',
      title: `Rule ${rule.rule}: the agent keeps retrying`,
      evidence: `${rule.hits} hits, ${rule.repeats} of them repeats within a session, in ${rule.teams} team(s)`,
      command: `give ${rule.rule} a clearer why: in the spine (or a skill that says what to do instead), then spine validate`,
      who: 'platform team',
      impact: 500 + Math.min(199, rule.repeats),
      resolves: 'near-misses',
    });
  }

  for (const c of report.contributeBackCandidates) {
    const first = report.repos.find((r) => r.team === c.teams[0]);
    recs.push({
      kind: 'contribute',
      title: `Pull in ${c.skills[0]}: the same idea in ${c.teams.length} teams`,
      evidence: `local skills ${c.skills.join(', ')} in ${c.teams.join(', ')}`,
      command: `spine contribute ${c.skills[0]}   # in ${first ? repoLabel(first.path) : c.teams[0]}`,
      who: first?.champion ?? `${c.teams[0]}’s champion`,
      impact: 400 + c.teams.length * 10,
      resolves: 'reuse',
    });
  }

  for (const s of report.skills.filter((x) => x.dead)) {
    recs.push({
      kind: 'dead-skill',
      title: `Prune ${s.name}: installed, never used`,
      evidence: `installed in ${s.installedRepos} repo(s) of ${s.installedIn.length} team(s); no use in 60 days`,
      command: `remove skills/${s.name} from the spine and release; teams get it with spine update`,
      who: 'platform team',
      impact: 300 + s.installedRepos,
      resolves: null,
    });
  }

  for (const g of report.evaluation.filter((x) => x.verdict !== 'needs-data')) {
    const teams = g.teams.length;
    if (g.verdict === 'enforce') {
      recs.push({
        kind: 'enforce-guardrail',
        title: `Enforce ${g.guardrail}: on trial, it refused no work that ran`,
        evidence: `${g.hits} would-be refusal(s) in ${teams} team(s), every one already stopped by another layer`,
        command: `drop "mode: evaluate" from ${g.guardrail} in the spine, spine validate, release; teams get it with spine update`,
        who: 'platform team',
        impact: 600 + g.hits,
        resolves: null,
      });
    } else {
      const worst = g.teams.find((t) => t.newlyRefused > 0);
      const example = g.samples[0] ? `; e.g. \`${g.samples[0]}\`` : '';
      recs.push({
        kind: 'revise-guardrail',
        title: `Revise ${g.guardrail} before enforcing it: it would refuse ordinary work`,
        evidence: `${g.newlyRefused} of ${g.hits} would-be refusal(s) were calls that ran, in ${teams} team(s)${worst ? ` (most in ${worst.team})` : ''}${example}`,
        command: `narrow the rules of ${g.guardrail} in the spine (or accept these refusals and enforce it), then spine validate`,
        who: 'platform team',
        impact: 550 + g.newlyRefused,
        resolves: null,
      });
    }
  }

  for (const f of report.friction.filter((x) => x.hits >= FRICTION_MIN_HITS)) {
    const teams = f.teams.length;
    recs.push({
      kind: 'friction',
      title: `${f.class} ${frictionVerb(f.kind)} ${f.hits} times in ${teams} team${teams === 1 ? '' : 's'}: ${frictionAction(f)}`,
      evidence: `${f.layer} refused ordinary work: ${f.teams
        .slice(0, 5)
        .map((t) => `${t.team} ${t.hits}`)
        .join(', ')}${teams > 5 ? ', …' : ''}`,
      command: f.change,
      who: 'platform team',
      impact: 560 + Math.min(39, f.hits) + teams,
      resolves: null,
    });
  }

  for (const r of report.repos.filter(
    (x) => x.lockedRemoved === 0 && x.unguardedLaunchDirs === 0 && x.findings.error > 0,
  )) {
    recs.push({
      kind: 'repair-drift',
      title: `Repair ${repoLabel(r.path)} (${r.team}): doctor finds ${r.findings.error} error(s)`,
      evidence: `${r.findings.error} error(s) and ${r.findings.warning} warning(s) against the spine it locks (${r.version ?? 'no version'})`,
      command: `spine doctor --fix   # in ${repoLabel(r.path)}`,
      who: r.champion ?? `${r.team}’s champion`,
      impact: 900 + r.findings.error,
      resolves: 'drift',
    });
  }

  recs.push(...actRecommendations(report, headline, rates, recs, t));

  for (const a of report.asks.filter((x) => x.verdict === 'loosen')) {
    const teams = a.teams.length;
    const people = a.people ? ` by ${a.people} ${a.people === 1 ? 'person' : 'people'}` : '';
    recs.push({
      kind: 'loosen-ask',
      title: `Loosen ${a.guardrail}: asked ${a.asked} times, allowed every time${people}`,
      evidence: `${a.allowed} of ${a.asked} asks allowed${people}, none refused and none a near-miss, in ${a.sessions} session(s) of ${teams} team(s) (${a.teams
        .slice(0, 5)
        .map((t) => `${t.team} ${t.allowed}`)
        .join(', ')})`,
      command: `move ${a.guardrail} from ask: to allow: in guardrails/permissions.yaml, or narrow its rules to the calls people refuse, then spine validate and release; teams get it with spine update`,
      who: 'platform team',
      impact: 520 + Math.min(39, Math.floor(a.asked / 10)) + teams,
      resolves: null,
    });
  }

  for (const a of report.allowRules.filter((x) => x.verdict === 'tighten')) {
    const teams = a.teams.filter((t) => t.nearMisses > 0);
    recs.push({
      kind: 'tighten-allow',
      title: `Tighten ${a.guardrail}: ${a.nearMisses} of the ${a.calls} calls it allowed reached for a secret`,
      evidence: `${a.nearMisses} of ${a.calls} calls the allow rule let run without asking were then stopped by the OS sandbox reading a secret, in ${teams.length} team(s) (${teams
        .slice(0, 5)
        .map((t) => `${t.team} ${t.nearMisses}/${t.calls}`)
        .join(', ')})`,
      command: `move ${a.guardrail} from allow: to ask: in guardrails/permissions.yaml, or narrow its rules to the commands people need, then spine validate and release; teams get it with spine update`,
      who: 'platform team',
      impact: 540 + Math.min(39, a.nearMisses) + teams.length,
      resolves: null,
    });
  }

  // Only judged when the data reaches back far enough to say "never in N days".
  const since = addDays(report.asOf, -t.rules.quietDays);
  if (firstActivity && firstActivity <= since)
    for (const rule of report.nearMisses.rules.filter((r) => r.lastHit && r.lastHit < since)) {
      recs.push({
        kind: 'quiet-rule',
        title: `Review rule ${rule.rule}: no hit in ${t.rules.quietDays} days`,
        evidence: `last fired ${rule.lastHit}, ${rule.hits} hit(s) before, across ${rule.teams} of ${teamCount} team(s)`,
        command: `review ${rule.rule} in the spine: still needed, or loosen it`,
        who: 'platform team',
        impact: 100 + rule.hits / 1000,
        resolves: null,
      });
    }

  return recs.sort((a, b) => b.impact - a.impact || (a.title < b.title ? -1 : 1));
}
