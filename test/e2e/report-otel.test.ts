import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { otlpLogsRequest } from '../../src/hooks/otlp-request.js';
import type { SessionSummary } from '../../src/hooks/session-summary.js';
import { git, gitdir, tempDir, writeTree } from '../helpers/gitdir.js';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';

/**
 * `spine report --otel` over what a Collector's file exporter writes: one OTLP/JSON export
 * request per line, plain or gzip, rotated. Resent sessions count once; bad lines are named with
 * file:line, skipped and counted, or refused with --strict.
 */

const RESOURCE = {
  'spine.team': 'payments',
  'spine.repo': 'github.com/acme/payments',
  'spine.version': '1.0.0',
};

function summary(id: string, day: string, misses: number): SessionSummary {
  const at = Date.parse(`${day}T10:00:00Z`);
  return {
    sessionId: id,
    startMs: at,
    endMs: at + 60_000,
    ended: true,
    spineVersion: '1.0.0',
    toolCallsByAgent: { main: 10 },
    nearMisses: Array.from({ length: misses }, (_, i) => ({
      guardrail: 'secret-dotenv',
      tool: 'Bash',
      agentType: 'main',
      layer: 'guard',
      decision: 'deny',
      key: `t${i}`,
    })),
    skillsShared: { 'review-change': 1 },
    skillsLocal: {},
    subagentsByType: {},
  };
}

const line = (sessions: SessionSummary[]) =>
  `${JSON.stringify(otlpLogsRequest(sessions, RESOURCE, '1.0.0'))}\n`;

let facts: string;
let dir: string;

beforeAll(async () => {
  const repo = gitdir({ 'README.md': '# payments\n' });
  git(repo, 'remote', 'add', 'origin', 'git@github.com:acme/payments.git');
  expect((await runCli(['init', '--yes', '--team', 'payments', '--champion', 'a'], { cwd: repo })).code).toBe(
    0,
  );
  dir = tempDir('spine-otel-');
  const collected = await runCli(['facts', '--json'], { cwd: repo });
  facts = join(dir, 'facts.json');
  writeFileSync(facts, collected.stdout);
}, 60_000);

describe('spine report --otel', () => {
  it('folds sessions from plain and gzip files, counting a resent session once', async () => {
    const out = tempDir('spine-otel-files-');
    const days = ['2026-11-02', '2026-11-03'];
    writeFileSync(join(out, 'logs.json'), line([summary('s1', days[0]!, 2), summary('s2', days[0]!, 0)]));
    // A rotated, compressed file holding an outbox resend of s2 and a new session.
    writeFileSync(
      join(out, 'logs-2026-11-03.json.gz'),
      gzipSync(line([summary('s2', days[0]!, 0), summary('s3', days[1]!, 1)])),
    );
    const result = await runCli(['report', '--facts', facts, '--otel', out, '--no-doctor', '--json'], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.coverage.telemetry).toMatchObject({
      files: 2,
      sessions: 3,
      duplicateSessions: 1,
      badLines: 0,
    });
    expect(report.coverage.activitySources).toEqual([{ team: 'payments', source: 'telemetry' }]);
    expect(report.totals.sessions).toBe(3);
    expect(report.totals.toolCalls).toBe(30);
    expect(report.totals.nearMisses).toBe(3);
    expect(report.totals.skillUses).toBe(3);
  });

  it('names unreadable lines with file:line, skips and counts them; --strict refuses with exit 2', async () => {
    const out = tempDir('spine-otel-bad-');
    writeTree(out, {
      'good.json': line([summary('g1', '2026-11-02', 1)]),
      'bad.json': `${line([summary('g2', '2026-11-02', 0)])}not json at all\n{"hello":"world"}\n${line([summary('g3', '2026-11-02', 0)])}`,
    });
    const gz = gzipSync(line([summary('g4', '2026-11-02', 0)]).repeat(50));
    writeFileSync(join(out, 'cut.json.gz'), gz.subarray(0, Math.floor(gz.length / 2)));

    const lenient = await runCli(['report', '--facts', facts, '--otel', out, '--no-doctor', '--json'], {
      cwd: dir,
    });
    expect(lenient.code, lenient.stderr).toBe(0);
    const report = JSON.parse(lenient.stdout);
    expect(report.coverage.telemetry.badLines).toBe(3);
    expect(report.coverage.telemetry.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/bad\.json:2: not JSON: expected an object at byte 1$/),
        expect.stringMatching(/bad\.json:3: not an OTLP export request \(no resourceLogs\)$/),
        expect.stringMatching(/cut\.json\.gz:\d+: truncated gzip file/),
      ]),
    );
    // The good lines around the bad ones still count: g1, g2, g3 (and g4 if any of it was read).
    expect(report.coverage.telemetry.sessions).toBeGreaterThanOrEqual(3);

    const html = join(out, 'report.html');
    const strict = await runCli(
      ['report', '--facts', facts, '--otel', out, '--no-doctor', '--strict', '--html', html],
      {
        cwd: dir,
      },
    );
    expect(strict.code).toBe(2);
    expect(strict.stderr.trim().split('\n')).toHaveLength(1);
    expect(strict.stderr).toMatch(/bad\.json:2|cut\.json\.gz/);
    expect(existsSync(html)).toBe(false);
  });

  it('stops at a line longer than the limit, in bounded memory: a link to /dev/zero, a 5 GB sparse file', async () => {
    const out = tempDir('spine-otel-huge-');
    writeFileSync(join(out, 'good.json'), line([summary('h1', '2026-11-02', 0)]));
    // A link inside a directory is not followed; one named on the command line is.
    const zero = join(tempDir('spine-otel-zero-'), 'zero.json');
    symlinkSync('/dev/zero', zero);
    writeFileSync(join(out, 'sparse.json'), line([summary('h2', '2026-11-02', 0)]));
    truncateSync(join(out, 'sparse.json'), 5 * 1024 ** 3);
    // Peak memory of the whole CLI, as the kernel counts it (KiB): it once held the file whole.
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        '%M',
        process.execPath,
        join(REPO_ROOT, 'bin/spine.js'),
        'report',
        '--facts',
        facts,
        '--otel',
        out,
        zero,
        '--no-doctor',
        '--json',
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.coverage.telemetry.sessions).toBe(2);
    expect(report.coverage.telemetry.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/sparse\.json:2: line 2 longer than 64 MiB .*; the lines before it were read$/),
        expect.stringMatching(/zero\.json:1: line 1 longer than 64 MiB /),
      ]),
    );
    const peakKiB = Number(run.stderr.trim().split('\n').pop());
    expect(peakKiB).toBeLessThan(600 * 1024);

    const strict = await runCli(['report', '--facts', facts, '--otel', out, '--no-doctor', '--strict'], {
      cwd: dir,
    });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/line \d longer than 64 MiB/);
    expect(strict.stderr.trim().split('\n')).toHaveLength(1);
  });

  it("uses Claude Code's own events for a repo whose hook never reported", async () => {
    const out = tempDir('spine-otel-cc-');
    const kv = (key: string, v: string) => ({ key, value: { stringValue: v } });
    const record = (name: string, extra: { key: string; value: { stringValue: string } }[]) => ({
      timeUnixNano: `${Date.parse('2026-11-02T10:00:00Z')}000000`,
      body: { stringValue: `claude_code.${name}` },
      attributes: [kv('event.name', name), kv('session.id', 'cc-1'), ...extra],
    });
    const request = {
      resourceLogs: [
        {
          resource: { attributes: Object.entries(RESOURCE).map(([k, v]) => kv(k, v)) },
          scopeLogs: [
            {
              logRecords: [
                record('tool_result', [kv('tool_name', 'Bash')]),
                record('tool_result', [kv('tool_name', 'Read')]),
                record('tool_decision', [
                  kv('decision', 'reject'),
                  kv('source', 'config'),
                  kv('tool_name', 'Bash'),
                ]),
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(out, 'logs.json'), `${JSON.stringify(request)}\n`);
    const result = await runCli(['report', '--facts', facts, '--otel', out, '--no-doctor', '--json'], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.coverage.activitySources).toEqual([{ team: 'payments', source: 'claude-code' }]);
    expect(report.totals.toolCalls).toBe(2);
    expect(report.totals.nearMisses).toBe(1);
  });

  it("joins a newer client's unattributed events to spine's session record of the same session id", async () => {
    const out = tempDir('spine-otel-join-');
    const kv = (key: string, v: string) => ({ key, value: { stringValue: v } });
    // 2.1.332 ignores OTEL_RESOURCE_ATTRIBUTES in project settings: its events name no repo.
    const clientEvents = (session: string) => ({
      resource: { attributes: [kv('service.name', 'claude-code'), kv('org.unit', 'payments-org')] },
      scopeLogs: [
        {
          logRecords: ['tool_decision', 'tool_result'].map((name) => ({
            timeUnixNano: `${Date.parse('2026-11-02T10:00:00Z')}000000`,
            eventName: name,
            attributes: [kv('event.name', name), kv('session.id', session), kv('tool_name', 'Bash')],
          })),
        },
      ],
    });
    writeFileSync(
      join(out, 'logs.json'),
      [
        JSON.stringify({ resourceLogs: [clientEvents('s-joined'), clientEvents('s-without-hook')] }),
        line([summary('s-joined', '2026-11-02', 1)]).trim(),
      ].join('\n'),
    );
    const result = await runCli(['report', '--facts', facts, '--otel', out, '--no-doctor', '--json'], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.coverage.telemetry).toMatchObject({ records: 6, unattributed: 2, joinedBySession: 2 });
    // The session record counts the joined session's activity; its client events add nothing twice.
    expect(report.totals.toolCalls).toBe(10);
    expect(report.totals.nearMisses).toBe(1);
    expect(report.coverage.notes.join('\n')).toMatch(/2 Claude Code record\(s\) .* share a session id/);
    expect(report.coverage.notes.join('\n')).toMatch(/2 telemetry record\(s\) carried no spine.repo/);
  });

  it('splits a repo teams share by the spine.zone of each session; an undeclared zone counts as none', async () => {
    const out = tempDir('spine-otel-zones-');
    // Facts of a repo that declares two team zones (.spine/local.yaml teams.zones).
    const zoned = JSON.parse(readFileSync(facts, 'utf8'));
    zoned.zones = [
      { team: 'web', champion: '@bob', days: [] },
      { team: 'pay', champion: '@alice', days: [] },
    ];
    const zonedFacts = join(out, 'facts.json');
    writeFileSync(zonedFacts, JSON.stringify(zoned));
    const inZone = (id: string, misses: number, zone?: string) => ({
      ...summary(id, '2026-11-02', misses),
      ...(zone ? { zone } : {}),
    });
    const otel = join(out, 'otel');
    writeTree(otel, {
      'logs.json': line([
        inZone('w1', 1, 'web'),
        inZone('w2', 0, 'web'),
        inZone('p1', 2, 'pay'),
        inZone('r1', 0),
        inZone('x1', 0, 'made-up'),
      ]),
    });
    const result = await runCli(['report', '--facts', zonedFacts, '--otel', otel, '--no-doctor', '--json'], {
      cwd: dir,
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.repos[0].sessions).toBe(5);
    expect(report.repos[0].zones).toEqual([
      {
        team: 'web',
        champion: '@bob',
        sessions: 2,
        toolCalls: 20,
        nearMisses: 1,
        skillUses: 2,
        firstActivity: '2026-11-02',
      },
      {
        team: 'pay',
        champion: '@alice',
        sessions: 1,
        toolCalls: 10,
        nearMisses: 2,
        skillUses: 1,
        firstActivity: '2026-11-02',
      },
      {
        team: 'payments',
        champion: 'a',
        sessions: 2,
        toolCalls: 20,
        nearMisses: 0,
        skillUses: 2,
        firstActivity: '2026-11-02',
      },
    ]);
    const human = await runCli(['report', '--facts', zonedFacts, '--otel', otel, '--no-doctor'], {
      cwd: dir,
    });
    expect(human.stdout).toMatch(/web \(@bob\): 2 session-day\(s\), 20 tool calls, 1 near-miss/);
  });
});
