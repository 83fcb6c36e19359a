import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFacts, createReportState } from '../../src/core/report/accumulator.js';
import { finishReport } from '../../src/core/report/finish.js';
import type { Report } from '../../src/core/report/report-model.js';
import { FLEET_AS_OF, fleetFacts } from '../helpers/fleet-facts.js';

type Facts = Parameters<typeof addFacts>[1];

/** A fleet drawn from the 12-team one: some teams, each with its own doctor, version and history length. */
const fleetArb = fc.record({
  calm: fc.boolean(),
  teams: fc.integer({ min: 1, max: 12 }),
  repos: fc.array(
    fc.record({
      errors: fc.nat(3),
      warnings: fc.nat(3),
      lockedRemoved: fc.oneof(fc.constant(0), fc.nat(4)),
      version: fc.constantFrom('1.0.0', '1.1.0', '1.2.0', '1.3.0'),
      /** Days of activity kept, counted back from the report date (0: none). */
      days: fc.constantFrom(0, 1, 5, 20, 45, 400),
      doctor: fc.boolean(),
    }),
    { minLength: 12, maxLength: 12 },
  ),
});

type Fleet = typeof fleetArb extends fc.Arbitrary<infer T> ? T : never;

function reportOf(fleet: Fleet, transform: (facts: any) => void = () => {}): Report {
  const state = createReportState(null);
  const facts = fleetFacts(fleet.calm).slice(0, fleet.teams) as any[];
  facts.forEach(transform);
  facts.forEach((f, i) => {
    const r = fleet.repos[i]!;
    const from = new Date(Date.parse(FLEET_AS_OF) - r.days * 86_400_000).toISOString().slice(0, 10);
    f.spine.version = r.version;
    f.activity = r.days
      ? { days: f.activity.days.filter((d: { date: string }) => d.date >= from) }
      : undefined;
    f.doctor = r.doctor
      ? {
          available: true,
          bySeverity: { error: r.errors + r.lockedRemoved, warning: r.warnings, info: 0 },
          byCode: {
            ...(r.lockedRemoved ? { 'locked-rule-missing': r.lockedRemoved } : {}),
            ...(r.errors ? { 'settings-drift': r.errors } : {}),
            ...(r.warnings ? { 'managed-file-edited': r.warnings } : {}),
          },
          findings: [],
        }
      : { available: false, bySeverity: { error: 0, warning: 0, info: 0 }, byCode: {}, findings: [] };
    addFacts(state, f as Facts, f.repo.remote);
  });
  return finishReport(state, { generatedAt: `${FLEET_AS_OF}T08:00:00.000Z` });
}

describe('the report decides on any fleet', () => {
  it('every verdict that says act has a move on This week that resolves it; a warning never makes one act', () => {
    fc.assert(
      fc.property(fleetArb, (fleet) => {
        const report = reportOf(fleet);
        for (const h of report.headline.filter((x) => x.status === 'act'))
          expect(
            report.recommendations.some((r) => r.resolves === h.key),
            `${h.key} says act: ${h.display}`,
          ).toBe(true);
        const drift = report.headline.find((h) => h.key === 'drift')!;
        const errors = report.repos.some((r) => r.findings.error > 0);
        if (!errors) expect(drift.status).not.toBe('act');
        if (!report.recommendations.length) expect(report.summary).toMatch(/; nothing to do this week\.$/);
        else expect(report.summary).toMatch(/; \d+ things? to do this week\.$/);
      }),
      { numRuns: 40 },
    );
  });

  it('draws fleets where each verdict that can say act does (so the property above is not empty)', () => {
    const acting = new Set(
      fc.sample(fleetArb, { numRuns: 40, seed: 7 }).flatMap((fleet) =>
        reportOf(fleet)
          .headline.filter((h) => h.status === 'act')
          .map((h) => h.key),
      ),
    );
    expect([...acting].sort()).toEqual(expect.arrayContaining(['drift', 'lag', 'ramp']));
  });

  it('calls a skill dead only when the data reaches back the 60 days it speaks of', () => {
    fc.assert(
      fc.property(fleetArb, (fleet) => {
        const report = reportOf(fleet);
        const reachesBack = fleet.repos.slice(0, fleet.teams).some((r) => r.days >= 60);
        if (!reachesBack) expect(report.skills.filter((s) => s.dead)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  const steady: Fleet = {
    calm: true,
    teams: 12,
    repos: Array.from({ length: 12 }, () => ({
      errors: 0,
      warnings: 0,
      lockedRemoved: 0,
      version: '1.3.0',
      days: 400,
      doctor: true,
    })),
  };

  it('reuse that says act names the team-contributed skill no other team picks up', () => {
    // Only alpha, its contributor, still uses review-change.
    const report = reportOf(steady, (f) => {
      if (f.team !== 'alpha') for (const d of f.activity.days) delete d.skillUses['review-change'];
    });
    expect(report.headline.find((h) => h.key === 'reuse')!.status).toBe('act');
    expect(report.recommendations.filter((r) => r.resolves === 'reuse')).toMatchObject([
      { kind: 'unshared-skill', title: expect.stringContaining('review-change'), who: 'platform team' },
    ]);
    expect(report.summary).toContain('act on reuse');
  });

  it('a rising near-miss trend that says act sends the platform team to the audit of the hottest team', () => {
    const report = reportOf(steady, (f) => {
      for (const d of f.activity.days) {
        const weeks = (Date.parse(d.date) - Date.parse('2029-08-01')) / (7 * 86_400_000);
        d.nearMisses = { 'secret-dotenv': Math.round(weeks * (f.team === 'kilo' ? 3 : 1)) };
        // One hit per session: no noisy rule to explain the rise.
        d.nearMissSessions = { 'secret-dotenv': d.nearMisses['secret-dotenv'] };
      }
    });
    expect(report.headline.find((h) => h.key === 'near-misses')!.status).toBe('act');
    const move = report.recommendations.find((r) => r.resolves === 'near-misses')!;
    expect(move).toMatchObject({ kind: 'rising-near-misses', who: 'platform team' });
    expect(move.command).toMatch(/^spine audit --since 28d {3}# in kilo-service;/);
  });

  it('names in the summary what it cannot judge yet and the sessions it still needs', () => {
    const report = reportOf({
      calm: true,
      teams: 3,
      repos: Array.from({ length: 12 }, () => ({
        errors: 0,
        warnings: 0,
        lockedRemoved: 0,
        version: '1.3.0',
        days: 0,
        doctor: true,
      })),
    });
    expect(report.summary).toBe(
      '3 teams onboarded, all on the latest release (1.3.0), guardrails intact, ramp on track, too little activity yet to judge reuse and near-misses — check again after 5 more sessions; nothing to do this week.',
    );
  });
});
