// A 12-team fleet as facts documents (the published format teams ship from CI): 4 releases,
// ~25 weeks of git history and 5 months of daily activity per team. `calm: false` plants one of
// each case the report must act on; `calm: true` builds the same fleet with none of them.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FLEET_AS_OF = '2030-03-25';
export const FLEET_TEAMS = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliet',
  'kilo',
  'lima',
];
const RELEASES = [
  ['1.0.0', '2029-10-08'],
  ['1.1.0', '2029-11-19'],
  ['1.2.0', '2030-01-14'],
  ['1.3.0', '2030-02-25'],
] as const;

const DAY = 86_400_000;
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const mondaysFrom = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 7)) out.push(d);
  return out;
};

const fakeHash = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** Deterministic noise in [0, 1). */
function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

interface TeamPlan {
  team: string;
  t0: string;
  /** Relative throughput the team settles at after ramping (the pioneer's is 1.6). */
  level: number;
  rampWeeks: number;
  /** Near-miss rate per 1,000 calls at the start and at the end of its activity. */
  rateFrom: number;
  rateTo: number;
  version: string;
  lockedRemoved: number;
}

function plans(calm: boolean): TeamPlan[] {
  return FLEET_TEAMS.map((team, i) => {
    const t0 = addDays('2029-10-08', 14 * i);
    const reaches = calm || i % 3 !== 2;
    // Five teams falling, one rising, the rest flat (calm: all falling gently).
    const falling = calm || [1, 3, 4, 6, 7].includes(i);
    const rising = !calm && i === 9;
    const base = 14 + (i % 4) * 2;
    const versionIndex = calm ? 3 : i === 8 ? 0 : i === 9 ? 1 : i === 11 ? 2 : 3;
    return {
      team,
      t0,
      level: i === 0 ? 1.6 : reaches ? 1.7 : 1.15,
      rampWeeks: 3 + (i % 4),
      rateFrom: base + (falling ? 8 : 0),
      rateTo: rising ? base + 14 : falling ? base - 6 : base,
      version: RELEASES[versionIndex]![0],
      lockedRemoved: !calm && team === 'kilo' ? 18 : 0,
    };
  });
}

/** Every facts document of the fleet (one repo per team). */
export function fleetFacts(calm: boolean): object[] {
  return plans(calm).map((p, i) => {
    const hot = p.lockedRemoved > 0;
    const mine = RELEASES.filter(([v]) => v <= p.version);
    const atT0 = [...mine].reverse().find(([, d]) => d <= p.t0) ?? mine[0]!;
    const delay = i === 0 ? 0 : 3 + (i % 5);
    const lockHistory = [
      { date: p.t0, version: atT0[0] },
      ...mine.filter(([, d]) => d > p.t0).map(([version, d]) => ({ date: addDays(d, delay), version })),
    ];
    const weeks = mondaysFrom('2029-08-13', '2030-03-18').map((week, w) => {
      const k = Math.round((Date.parse(week) - Date.parse(p.t0)) / (7 * DAY));
      const rel = k < 0 ? 1 : Math.min(p.level, 1 + ((p.level - 1) * (k + 1)) / p.rampWeeks);
      const contributors = 6;
      return {
        week,
        commits: Math.round(contributors * 2 * rel + noise(i * 100 + w) - 0.5),
        contributors,
        agentCommits: 0,
      };
    });
    const days: object[] = [];
    const first = addDays(p.t0, 2);
    const span = Date.parse(FLEET_AS_OF) - Date.parse(first);
    for (let d = first; d < FLEET_AS_OF; d = addDays(d, 1)) {
      if (new Date(`${d}T00:00:00Z`).getUTCDay() % 6 === 0) continue; // weekdays only
      const f = (Date.parse(d) - Date.parse(first)) / span;
      const toolCalls = 180 + Math.round(noise(i * 1000 + days.length) * 60);
      const rate = hot ? 82 : p.rateFrom + (p.rateTo - p.rateFrom) * f;
      const misses = Math.round((rate * toolCalls) / 1000 + noise(i * 7 + days.length) - 0.5);
      const noisy = !calm && i % 2 === 0 ? 3 : 0;
      const nearMisses: Record<string, number> = { 'secret-dotenv': Math.max(0, misses - noisy) };
      const nearMissSessions: Record<string, number> = {
        'secret-dotenv': Math.min(6, Math.max(0, misses - noisy)),
      };
      if (noisy) {
        nearMisses['git-push-ask'] = noisy;
        nearMissSessions['git-push-ask'] = 1;
      }
      if (!calm && d < '2029-12-01' && i < 3) {
        nearMisses['curl-pipe-sh'] = 1;
        nearMissSessions['curl-pipe-sh'] = 1;
      }
      const skillUses: Record<string, number> = { 'handle-secrets': 1 };
      if (i === 0 || noise(i * 31 + days.length) < 0.5) skillUses['review-change'] = 1 + (i === 0 ? 1 : 0);
      if (calm && noise(i * 17 + days.length) < 0.2) skillUses['legacy-lint'] = 1;
      days.push({ date: d, sessions: 6, toolCalls, nearMisses, nearMissSessions, skillUses });
    }
    const local = calm ? [] : (LOCAL[p.team] ?? []);
    const errors = p.lockedRemoved + (!calm && p.team === 'golf' ? 2 : 0);
    return {
      factsVersion: 1,
      generatedAt: `${FLEET_AS_OF}T07:00:00.000Z`,
      tool: '0.1.0',
      repo: {
        name: `${p.team}-service`,
        remote: `https://git.example.com/org/${p.team}-service.git`,
        branch: 'main',
      },
      team: p.team,
      champion: `@${p.team}-lead`,
      spine: { name: 'org-spine', version: p.version, source: 'https://git.example.com/org/spine.git' },
      t0: p.t0,
      lockHistory,
      doctor: {
        available: true,
        bySeverity: { error: errors, warning: 0, info: 1 },
        byCode: {
          ...(p.lockedRemoved ? { 'locked-rule-missing': p.lockedRemoved } : {}),
          ...(errors > p.lockedRemoved ? { 'managed-file-edited': 2 } : {}),
          'local-skill': 1,
        },
        findings: errors
          ? [
              {
                code: p.lockedRemoved ? 'locked-rule-missing' : 'managed-file-edited',
                severity: 'error',
                path: '.claude/settings.json',
                since: '2030-03-05',
              },
            ]
          : [],
      },
      git: { weeks },
      skills: [
        { name: 'review-change', hash: fakeHash('review-change'), shared: true, contributedBy: 'alpha' },
        { name: 'handle-secrets', hash: fakeHash('handle-secrets'), shared: true },
        { name: 'legacy-lint', hash: fakeHash('legacy-lint'), shared: true },
        ...local.map((l, n) => ({
          name: l.name,
          hash: fakeHash(`${l.name}${n}`),
          shared: false,
          description: l.description,
        })),
      ],
      activity: { days },
    };
  });
}

const LOCAL: Record<string, { name: string; description: string }[]> = {
  bravo: [{ name: 'flaky-test-triage', description: 'Find and quarantine flaky tests in the CI suite.' }],
  echo: [
    { name: 'flaky-tests-triage', description: 'Triage flaky tests: rerun, quarantine, file an issue.' },
  ],
  golf: [{ name: 'triage-flaky-test', description: 'How we triage a flaky test in CI.' }],
  hotel: [{ name: 'release-notes', description: 'Write release notes from merged pull requests.' }],
};

/** Writes the fleet's facts files into `dir` (created); returns it. */
export function writeFleetFacts(dir: string, calm: boolean): string {
  mkdirSync(dir, { recursive: true });
  for (const f of fleetFacts(calm) as { repo: { name: string } }[])
    writeFileSync(join(dir, `${f.repo.name}.json`), `${JSON.stringify(f, null, 1)}\n`);
  return dir;
}
