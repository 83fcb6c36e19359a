import { type ReportBody, repoLabel } from './headline.js';
import type { PeriodRates } from './period.js';
import type { Headline, Recommendation } from './report-model.js';
import type { ReportThresholds } from './thresholds.js';

/**
 * The moves for a verdict that says act when nothing else on the list resolves it: the page never
 * says act above "nothing needs doing". Ramp, reuse and a rising near-miss trend have no finding
 * of their own to fix, so the move is the one that most often helps, aimed at who drives the verdict.
 */
export function actRecommendations(
  report: ReportBody,
  headline: Headline[],
  rates: PeriodRates,
  already: Recommendation[],
  t: ReportThresholds,
): Recommendation[] {
  const open = headline.filter((h) => h.status === 'act' && !already.some((r) => r.resolves === h.key));
  return open.flatMap((h) =>
    h.key === 'ramp'
      ? slowRamp(report, h, t)
      : h.key === 'reuse'
        ? unsharedSkills(h)
        : h.key === 'near-misses'
          ? risingNearMisses(report, rates)
          : [],
  );
}

function championOf(report: ReportBody, team: string): string {
  return report.repos.find((r) => r.team === team && r.champion)?.champion ?? `${team}’s champion`;
}

function slowRamp(report: ReportBody, h: Headline, t: ReportThresholds): Recommendation[] {
  const pioneer = report.parity.pioneer ?? 'the pioneer';
  const pioneerSkills = report.skills
    .filter((s) => s.usedIn.includes(pioneer))
    .sort((a, b) => (b.usesByTeam[pioneer] ?? 0) - (a.usesByTeam[pioneer] ?? 0))
    .slice(0, 3)
    .map((s) => s.name);
  return report.parity.teams
    .filter((p) => p.status === 'not-yet' && p.observedWeeks - 1 > t.ramp.watchWeeks)
    .sort((a, b) => b.observedWeeks - a.observedWeeks)
    .slice(0, 3)
    .map((p) => ({
      kind: 'slow-ramp' as const,
      title: `Help ${p.team} ramp up: not at ${pioneer}’s level after ${p.observedWeeks - 1} weeks`,
      evidence: `${p.team} onboarded ${p.t0 ?? 'on an unknown day'}; ${h.display}`,
      command: `pair ${p.team} with ${championOf(report, pioneer)} for a session${pioneerSkills.length ? `; ${pioneer} leans on ${pioneerSkills.join(', ')}` : ''}`,
      who: championOf(report, p.team),
      impact: 650 + p.observedWeeks,
      resolves: 'ramp' as const,
    }));
}

function unsharedSkills(h: Headline): Recommendation[] {
  // The reuse drivers name team-contributed skills with how many other teams used them.
  const lonely = h.drivers.filter((d) => d.endsWith('no other team used it')).slice(0, 2);
  const names = (lonely.length ? lonely : h.drivers.slice(0, 1)).map((d) => d.split(' (from ')[0]!);
  if (!names.length)
    return [
      {
        kind: 'unshared-skill',
        title: 'Spread what teams find: too little of it reaches other teams',
        evidence: h.display,
        command:
          'ask each champion which local skill others would use, then spine contribute <skill> in that repo',
        who: 'platform team',
        impact: 450,
        resolves: 'reuse',
      },
    ];
  return names.map((name) => ({
    kind: 'unshared-skill' as const,
    title: `Make ${name} easier to find: other teams do not use it`,
    evidence: h.display,
    command: `sharpen the description of skills/${name} in the spine (the agent picks a skill by it), spine validate, release`,
    who: 'platform team',
    impact: 450,
    resolves: 'reuse' as const,
  }));
}

function risingNearMisses(report: ReportBody, rates: PeriodRates): Recommendation[] {
  const rule = report.nearMisses.rules[0];
  const hot = [...rates.teams].filter(([, r]) => r.now !== null).sort((a, b) => b[1].now! - a[1].now!)[0];
  const repo = hot ? report.repos.find((r) => r.team === hot[0]) : undefined;
  return [
    {
      kind: 'rising-near-misses',
      title: 'Near-misses rise as usage grows: find the wall the agent keeps walking into',
      evidence: `${rule ? `${rule.rule} fired ${rule.hits} time(s) in ${rule.teams} team(s)` : 'no single rule stands out'}${hot ? `; ${hot[0]} runs ${hot[1].now!.toFixed(1)} per 1,000 calls` : ''}`,
      command: `spine audit --since 28d${repo ? `   # in ${repoLabel(repo.path)}` : ''}; then say in a skill or CLAUDE.md what to do instead`,
      who: 'platform team',
      impact: 520,
      resolves: 'near-misses',
    },
  ];
}
