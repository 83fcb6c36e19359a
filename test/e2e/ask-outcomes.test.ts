import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, tempDir } from '../helpers/gitdir.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { runCli } from '../helpers/run-cli.js';
import { telemetrySpine } from '../helpers/spine-copy.js';
import { exportToReceiver, hookSession, onboardTeam, reportFromOtel } from '../helpers/telemetry-pipeline.js';
import { auditLines } from '../hooks/run-hook.js';

/**
 * Ask outcomes end to end, through the real hook process: each `git push` is asked about by the
 * spine's gate-git-push, the transcript records the person's answer as the newer client writes it
 * (`permissionDecision`, verified in claude-ask-outcomes.test.ts), the audit log records it at
 * SessionEnd, the exporter ships it over OTLP, and the report recommends loosening a gate people
 * allowed every time in two teams — from the audit logs and from `--otel` alike. Who was asked is
 * counted by a hash of the repository's git identity: one person in two teams counts once, and no
 * address reaches the audit log or the collector.
 */

const ASKS_PER_TEAM = 10;
let receiver: OtlpReceiver;
const repos: Record<string, string> = {};

afterAll(async () => {
  await receiver?.close();
});

// The person is the one git commits as in the repository (gitdir: test@example.com; the hook's
// environment has no GIT_AUTHOR_EMAIL, see telemetry-pipeline).
const PERSON = /^p-[0-9a-f]{16}$/;

/** One session of `git push` calls, each asked about and answered `accept` by a person. */
function session(repo: string, id: string, refusedAt = -1): Promise<void> {
  return hookSession(
    repo,
    id,
    Array.from({ length: ASKS_PER_TEAM }, () => 'git push origin HEAD'),
    (_, i) =>
      i === refusedAt
        ? {
            output: 'no',
            isError: true,
            extra: { permissionDecision: { decision: 'reject', source: 'user_reject' } },
          }
        : {
            output: 'pushed',
            extra: {
              permissionDecision: { decision: 'accept', source: 'user_temporary', grantScope: 'once' },
            },
          },
    (i) => new Date(Date.UTC(2026, 11, 1, 10, 0, i)),
  );
}

beforeAll(async () => {
  const spine = telemetrySpine();
  receiver = await startOtlpReceiver();
  await Promise.all(
    ['alpha', 'beta'].map(async (team) => {
      const repo = await onboardTeam(spine, team);
      repos[team] = repo;
      await session(repo, `${team}-1`);
    }),
  );
}, 120_000);

describe('ask outcomes', () => {
  it('are recorded in the audit log from the transcript', () => {
    const answers = auditLines(repos.alpha!).filter((l) => l.ask);
    expect(answers).toHaveLength(ASKS_PER_TEAM);
    expect(answers[0]).toMatchObject({
      event: 'PostToolUse',
      ask: { rule: 'gate-git-push', outcome: 'allowed', source: 'user_temporary' },
    });
    expect(answers[0]!.ask.person).toMatch(PERSON);
    expect(new Set(answers.map((a) => a.ask.person)).size).toBe(1);
    expect(JSON.stringify(auditLines(repos.alpha!))).not.toContain('example.com');
  });

  it('the report recommends loosening a gate allowed every time in two teams', async () => {
    const run = await runCli(['report', repos.alpha!, repos.beta!, '--json'], { cwd: repos.alpha! });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.asks).toEqual([
      {
        guardrail: 'gate-git-push',
        asked: 20,
        allowed: 20,
        refused: 0,
        unknown: 0,
        sessions: 2,
        nearMisses: 0,
        // The same git identity in both repositories: one person.
        people: 1,
        teams: [
          { team: 'alpha', asked: 10, allowed: 10, refused: 0, people: 1 },
          { team: 'beta', asked: 10, allowed: 10, refused: 0, people: 1 },
        ],
        verdict: 'loosen',
      },
    ]);
    const rec = report.recommendations.find((r: { kind: string }) => r.kind === 'loosen-ask');
    expect(rec.title).toBe('Loosen gate-git-push: asked 20 times, allowed every time by 1 person');
    expect(rec.command).toContain('from ask: to allow: in guardrails/permissions.yaml');
    const human = await runCli(['report', repos.alpha!, repos.beta!], { cwd: repos.alpha! });
    expect(human.stdout).toContain('ask gate gate-git-push: asked 20 time(s) (1 person) in 2 team(s)');
  });

  it('reaches the report over OTLP, and one refusal keeps the gate', async () => {
    // A second person in beta.
    git(repos.beta!, 'config', 'user.email', 'second@example.com');
    await session(repos.beta!, 'beta-2', 3);
    const exported = await exportToReceiver(repos, receiver, () => tempDir('spine-ask-home-'));
    const sessions = receiver.logRecords().filter((r) => r.event === 'spine.session');
    expect(sessions.map((r) => r.attributes['spine.asks_by_guardrail'])).toContainEqual({
      'gate-git-push:allowed': 9,
      'gate-git-push:refused': 1,
    });
    const people = sessions.map((r) => r.attributes['spine.person']);
    expect(people.every((p) => PERSON.test(String(p)))).toBe(true);
    expect(new Set(people).size).toBe(2);
    expect(JSON.stringify(receiver.logRecords())).not.toContain('example.com');
    const run = await reportFromOtel(exported, receiver);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.asks[0]).toMatchObject({
      asked: 30,
      allowed: 29,
      refused: 1,
      sessions: 3,
      people: 2,
      teams: [
        { team: 'beta', asked: 20, people: 2 },
        { team: 'alpha', asked: 10, people: 1 },
      ].map((t) => expect.objectContaining(t)),
      verdict: 'keep',
    });
    expect(report.recommendations.some((r: { kind: string }) => r.kind === 'loosen-ask')).toBe(false);
  });
});
