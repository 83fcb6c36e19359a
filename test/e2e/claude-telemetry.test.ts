import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runClaude } from '../helpers/claude.js';
import { git, gitdir, read, tempDir, writeTree } from '../helpers/gitdir.js';
import { startModelServer } from '../helpers/model-server.js';
import { canonicalOtlpJson } from '../helpers/otlp-proto.js';
import {
  type OtlpReceiver,
  type ReceivedRecord,
  readLogRecords,
  startOtlpReceiver,
} from '../helpers/otlp-receiver.js';
import { privateCa } from '../helpers/private-ca.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';

/**
 * spine's own telemetry with the real client: a session's summary and its near-misses reach an
 * OTLP/HTTP receiver (stored as a Collector's file exporter would), attributed to team, repo and
 * spine version, with counts and ids only; `spine report --otel` reads them back. With the
 * receiver down nothing is lost: the next session ships the backlog, and nothing is sent twice.
 */

/** `protocol` undefined: the spine names none, and both exporters use the default, http/protobuf. */
function telemetrySpine(endpoint: string, protocol: string | undefined): string {
  return spineCopy((dir) =>
    editFile(dir, 'guardrails/audit.yaml', (text) =>
      text.replace(
        'telemetry:\n  enabled: false',
        [
          'telemetry:',
          '  enabled: true',
          `  endpoint: ${endpoint}`,
          ...(protocol ? [`  protocol: ${protocol}`] : []),
          '  logs: true',
        ].join('\n'),
      ),
    ),
  );
}

async function onboard(
  endpoint: string,
  canary: string,
  protocol: string | null = 'http/json',
): Promise<string> {
  return (await onboardWithSpine(endpoint, canary, protocol)).repo;
}

async function onboardWithSpine(
  endpoint: string,
  canary: string,
  protocol: string | null,
): Promise<{ repo: string; spine: string }> {
  const spine = telemetrySpine(endpoint, protocol ?? undefined);
  const repo = gitdir({ 'README.md': '# payments\n' });
  git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/payments.git');
  writeTree(repo, { '.env': `DB_PASSWORD=${canary}\n` });
  const init = await runCli(
    ['init', '--yes', '--team', 'payments', '--champion', 'alice', '--spine', spine],
    { cwd: repo },
  );
  expect(init.code, init.stderr).toBe(0);
  return { repo, spine };
}

/**
 * The client's own telemetry switch as the organisation delivers it: `spine export
 * managed-settings`, given to the session as flag settings (a tier above project settings, which
 * newer clients no longer let switch telemetry on).
 */
async function managedTelemetry(spine: string, repo: string): Promise<string> {
  const file = join(tempDir('spine-managed-'), 'managed-settings.json');
  const exported = await runCli(['export', 'managed-settings', '--spine', spine, '--out', file], {
    cwd: repo,
  });
  expect(exported.code, exported.stderr).toBe(0);
  return file;
}

async function session(repo: string, marker: string, settings?: string, env?: Record<string, string>) {
  const server = await startModelServer({
    main: [
      { tools: [{ name: 'Bash', input: { command: 'cat .env', description: 'env' } }] },
      { tools: [{ name: 'Read', input: { file_path: join(repo, '.env') } }] },
      { tools: [{ name: 'Skill', input: { skill: 'review-change' } }] },
      {
        tools: [
          {
            name: 'Agent',
            input: { description: 'look', prompt: `${marker} list files`, subagent_type: 'general-purpose' },
          },
        ],
      },
      { text: 'done' },
    ],
    subagents: {
      [marker]: [{ tools: [{ name: 'Bash', input: { command: 'ls', description: 'ls' } }] }, { text: 'ok' }],
    },
  });
  const run = await runClaude({
    prompt: 'Check the project.',
    cwd: repo,
    baseUrl: server.baseUrl,
    args: ['--allowedTools', 'Bash', 'Read', 'Skill', 'Agent', ...(settings ? ['--settings', settings] : [])],
    env,
  });
  await server.close();
  expect(run.code, run.stderr).toBe(0);
  return run;
}

async function waitFor<T>(what: () => T | undefined, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting for telemetry');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sessions = (records: ReceivedRecord[]) => records.filter((r) => r.event === 'spine.session');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

const receivers: OtlpReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

describe('spine telemetry with the real client', () => {
  it('exports a summary and near-misses with guardrail ids, attributed, counts only; the report reads them', async () => {
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    const repo = await onboard(receiver.endpoint, canary);
    await session(repo, 'SUB-A');

    const summary = await waitFor(() => sessions(receiver.logRecords())[0]);
    expect(summary.resource).toMatchObject({
      'service.name': 'spine',
      'spine.team': 'payments',
      'spine.repo': 'github.com/acme/payments',
      'spine.champion': 'alice',
      'spine.name': expect.any(String),
      'spine.version': expect.any(String),
    });
    // cat .env is stopped by the guard in the hook; Read(.env) by the client's own deny rule,
    // before any hook runs: the transcript is where spine finds it.
    expect(summary.attributes['spine.near_misses_by_guardrail']).toEqual({ 'secret-dotenv': 2 });
    expect(summary.attributes['spine.near_misses_by_layer']).toEqual({ guard: 1, rule: 1 });
    expect(summary.attributes['spine.skills_shared']).toEqual({ 'review-change': 1 });
    expect(summary.attributes['spine.subagents']).toBe(1);
    expect(summary.attributes['spine.tool_calls']).toBeGreaterThanOrEqual(5);
    const misses = receiver.logRecords().filter((r) => r.event === 'spine.near_miss');
    expect(
      misses
        .map((m) => [m.attributes['spine.guardrail.id'], m.attributes.tool_name, m.attributes['spine.layer']])
        .sort(),
    ).toEqual([
      ['secret-dotenv', 'Bash', 'guard'],
      ['secret-dotenv', 'Read', 'rule'],
    ]);

    // Nothing exported carries a tool input, a path, a prompt or the secret.
    const exported = read(receiver.logsFile, '');
    expect(exported).not.toContain(canary);
    expect(exported).not.toContain('.env');
    expect(exported).not.toContain(repo);
    expect(exported).not.toContain('Check the project');

    // The report joins telemetry to the repo's facts on github.com/acme/payments.
    const facts = join(tempDir('spine-facts-'), 'payments.json');
    const collected = await runCli(['facts', '--json'], { cwd: repo });
    writeTree(facts.replace(/\/[^/]+$/, ''), { 'payments.json': collected.stdout });
    const report = await runCli(
      ['report', '--facts', facts, '--otel', receiver.logsFile, '--no-doctor', '--json'],
      {
        cwd: repo,
      },
    );
    expect(report.code, report.stderr).toBe(0);
    const json = JSON.parse(report.stdout);
    expect(json.coverage.activitySources).toEqual([{ team: 'payments', source: 'telemetry' }]);
    expect(json.totals.nearMisses).toBe(2);
    expect(json.totals.skillUses).toBe(1);
  }, 120_000);

  it('speaks http/protobuf by default, to the client and the hook alike; the records equal the JSON ones', async () => {
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    const { repo, spine } = await onboardWithSpine(
      receiver.endpoint,
      `canary-${randomBytes(8).toString('hex')}`,
      null,
    );
    await session(repo, 'SUB-P', await managedTelemetry(spine, repo));
    await waitFor(() => sessions(receiver.logRecords())[0]);

    // Every request, Claude Code's own and spine's, was binary protobuf, and decoded (protobufjs,
    // the official .proto files) into the stored OTLP JSON.
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(new Set(receiver.requests.map((r) => r.contentType))).toEqual(new Set(['application/x-protobuf']));
    expect(receiver.logRecords().some((r) => r.resource['service.name'] === 'claude-code')).toBe(true);
    const spineLines = (file: string) =>
      read(file, '')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((l) => JSON.stringify(l.resourceLogs[0].resource).includes('"stringValue":"spine"'));
    const [fromProtobuf] = spineLines(receiver.logsFile);

    // The same session exported again as http/json: the same records, field for field.
    const json = await startOtlpReceiver();
    receivers.push(json);
    const policyFile = join(repo, '.claude/hooks/spine-policy.json');
    const policy = JSON.parse(read(policyFile, ''));
    expect(policy.telemetry.protocol).toBe('http/protobuf');
    writeTree(repo, {
      '.claude/hooks/spine-policy.json': JSON.stringify({
        ...policy,
        telemetry: { endpoint: json.endpoint, protocol: 'http/json' },
      }),
    });
    rmSync(join(repo, '.spine/audit/otlp-shipped.json'));
    await promisify(execFile)(process.execPath, [join(repo, '.claude/hooks/spine-hook.cjs'), 'export'], {
      cwd: repo,
      env: { ...process.env, CLAUDE_PROJECT_DIR: repo },
    });
    const [fromJson] = spineLines(json.logsFile);
    expect(fromProtobuf).toEqual(canonicalOtlpJson(fromJson));
    const misses = receiver.logRecords().filter((r) => r.event === 'spine.near_miss');
    expect(
      misses.map((m) => [m.attributes['spine.guardrail.id'], m.attributes['spine.layer']]).sort(),
    ).toEqual([
      ['secret-dotenv', 'guard'],
      ['secret-dotenv', 'rule'],
    ]);

    // The report reads the stored file, Claude Code's decoded records included.
    const report = await runCli(['report', repo, '--otel', receiver.logsFile, '--no-doctor', '--json'], {
      cwd: repo,
    });
    expect(report.code, report.stderr).toBe(0);
    const totals = JSON.parse(report.stdout).totals;
    expect(totals.nearMisses).toBe(2);
    expect(totals.skillUses).toBe(1);
  }, 120_000);

  it('reaches a collector behind a corporate CA: the hook starts without NODE_EXTRA_CA_CERTS, its exporter with it', async () => {
    const ca = privateCa();
    const receiver = await startOtlpReceiver({ tls: { key: ca.key, cert: ca.cert } });
    receivers.push(receiver);
    const repo = await onboard(receiver.endpoint, `canary-${randomBytes(8).toString('hex')}`);
    await session(repo, 'SUB-TLS', undefined, { NODE_EXTRA_CA_CERTS: ca.caFile });
    const summary = await waitFor(() => sessions(receiver.logRecords())[0]);
    expect(summary.attributes['spine.near_misses_by_guardrail']).toEqual({ 'secret-dotenv': 2 });
  }, 120_000);

  it('loses nothing while the collector is down and sends nothing twice', async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const repo = await onboard(endpoint, `canary-${randomBytes(8).toString('hex')}`);
    await session(repo, 'SUB-1');
    // Give the detached exporter time to find the collector down.
    await new Promise((r) => setTimeout(r, 1500));

    const receiver = await startOtlpReceiver({ port });
    receivers.push(receiver);
    await session(repo, 'SUB-2');
    await waitFor(() => (sessions(receiver.logRecords()).length >= 2 ? true : undefined));
    await session(repo, 'SUB-3');
    await waitFor(() => (sessions(receiver.logRecords()).length >= 3 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));

    const ids = sessions(readLogRecords(receiver.logsFile)).map((r) => r.attributes['spine.record_id']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
  }, 240_000);
});
