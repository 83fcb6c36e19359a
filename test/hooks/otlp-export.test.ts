import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { git, gitdir } from '../helpers/gitdir.js';
import { canonicalOtlpJson } from '../helpers/otlp-proto.js';
import { type OtlpReceiver, type ReceiverOptions, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { privateCa } from '../helpers/private-ca.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';
import { HOOK } from './run-hook.js';

/**
 * The hook's exporter (`node spine-hook.cjs export`) against the loopback receiver: the policy's
 * protocol picks the encoding, both encodings store the same records, and the collector's answer
 * decides what happens to the outbox (OTLP/HTTP specification: 2xx sent; 400 never resent;
 * 429/503 with Retry-After wait; anything else stays for a later session).
 */

const POLICY = '.claude/hooks/spine-policy.json';
const STATE = '.spine/audit/otlp-shipped.json';
const receivers: OtlpReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver(options);
  receivers.push(r);
  return r;
}

/**
 * A repo onboarded with telemetry on, holding two ended sessions in its audit log; s-2 started in
 * `s2LaunchDir` when given (a package of a monorepo).
 */
async function repoWithSessions(protocol: string, s2LaunchDir?: string): Promise<string> {
  const spine = spineCopy((dir) =>
    editFile(dir, 'guardrails/audit.yaml', (text) =>
      text.replace(
        'telemetry:\n  enabled: false',
        `telemetry:\n  enabled: true\n  endpoint: http://127.0.0.1:9\n  protocol: ${protocol}`,
      ),
    ),
  );
  const repo = gitdir({ 'README.md': '# payments\n' });
  git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/payments.git');
  const init = await runCli(
    ['init', '--yes', '--team', 'payments', '--champion', 'alice', '--spine', spine],
    {
      cwd: repo,
    },
  );
  expect(init.code, init.stderr).toBe(0);
  // The events themselves, with telemetry off so SessionEnd starts no exporter of its own; run
  // asynchronously, so the receivers of tests running alongside keep answering.
  if (s2LaunchDir) mkdirSync(join(repo, s2LaunchDir), { recursive: true });
  const send = (session: string, name: string, fields: object) =>
    new Promise<void>((resolve, reject) => {
      const started = session === 's-2' && s2LaunchDir ? join(repo, s2LaunchDir) : repo;
      const off = { ...process.env, CLAUDE_PROJECT_DIR: started, CLAUDE_CODE_ENABLE_TELEMETRY: '0' };
      const child = execFile(process.execPath, [join(repo, HOOK)], { cwd: started, env: off }, (error) =>
        error ? reject(error) : resolve(),
      );
      child.stdin?.end(
        JSON.stringify({
          session_id: session,
          transcript_path: join(repo, 'none.jsonl'),
          cwd: session === 's-2' && s2LaunchDir ? join(repo, s2LaunchDir) : repo,
          hook_event_name: name,
          ...fields,
        }),
      );
    });
  for (const session of ['s-1', 's-2']) {
    await send(session, 'PreToolUse', {
      tool_name: 'Bash',
      tool_input: { command: 'cat .env' },
      tool_use_id: 't1',
    });
    await send(session, 'PreToolUse', {
      tool_name: 'Bash',
      tool_input: { command: 'ls' },
      tool_use_id: 't2',
    });
    await send(session, 'SessionEnd', { reason: 'other' });
  }
  return repo;
}

function pointAt(repo: string, endpoint: string, protocol?: string): void {
  const policy = JSON.parse(readFileSync(join(repo, POLICY), 'utf8'));
  policy.telemetry = { endpoint, protocol: protocol ?? policy.telemetry.protocol };
  writeFileSync(join(repo, POLICY), JSON.stringify(policy));
}

/** The exporter, run to completion; asynchronously, so the receiver in this process can answer. */
async function exportNow(
  repo: string,
  env: NodeJS.ProcessEnv = { ...process.env, CLAUDE_PROJECT_DIR: repo, CLAUDE_CODE_ENABLE_TELEMETRY: '1' },
): Promise<void> {
  await promisify(execFile)(process.execPath, [join(repo, HOOK), 'export'], { cwd: repo, env });
}

function state(repo: string): Record<string, any> {
  try {
    return JSON.parse(readFileSync(join(repo, STATE), 'utf8'));
  } catch {
    return {};
  }
}
const storedLines = (r: OtlpReceiver) =>
  readFileSync(r.logsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe.concurrent('the hook exporter speaks the policy protocol', () => {
  it('sends http/protobuf when the policy says so, storing exactly what http/json stores', async () => {
    const repo = await repoWithSessions('http/protobuf');
    const proto = await receiver();
    pointAt(repo, proto.endpoint);
    await exportNow(repo);
    expect(proto.requests).toEqual([{ path: '/v1/logs', contentType: 'application/x-protobuf' }]);

    // The same sessions again, as JSON, to another receiver.
    rmSync(join(repo, STATE));
    const json = await receiver();
    pointAt(repo, json.endpoint, 'http/json');
    await exportNow(repo);
    expect(json.requests).toEqual([{ path: '/v1/logs', contentType: 'application/json' }]);

    const [fromProto] = storedLines(proto);
    const [fromJson] = storedLines(json);
    expect(fromProto).toEqual(canonicalOtlpJson(fromJson));
    const records = proto.logRecords();
    expect(records.map((r) => r.event).sort()).toEqual([
      'spine.near_miss',
      'spine.near_miss',
      'spine.session',
      'spine.session',
    ]);
    expect(records.find((r) => r.event === 'spine.near_miss')?.attributes).toMatchObject({
      'spine.guardrail.id': 'secret-dotenv',
      tool_name: 'Bash',
      'spine.layer': 'guard',
    });
    expect(records[0]!.resource).toMatchObject({
      'spine.team': 'payments',
      'spine.repo': 'github.com/acme/payments',
    });
  }, 60_000);

  it('names the repo, team and launch directory of each session beside its session id, so the events of the client join to them', async () => {
    const repo = await repoWithSessions('http/json', 'packages/api');
    const r = await receiver();
    pointAt(repo, r.endpoint);
    await exportNow(repo);
    const sessions = r.logRecords().filter((x) => x.event === 'spine.session');
    expect(
      sessions.map((x) => [x.attributes['session.id'], x.attributes['spine.launch_dir']]).sort(),
    ).toEqual([
      ['s-1', undefined],
      ['s-2', 'packages/api'],
    ]);
    for (const x of sessions)
      expect(x.resource).toMatchObject({
        'spine.team': 'payments',
        'spine.repo': 'github.com/acme/payments',
      });
    // The session started in the package is audited in the root's log, not the package's.
    expect(
      readFileSync(
        join(
          repo,
          '.spine/audit',
          readdirSync(join(repo, '.spine/audit')).find((f) => f.endsWith('.jsonl'))!,
        ),
        'utf8',
      ),
    ).toContain('"launch_dir":"packages/api"');
  }, 60_000);

  it('waits out a 503 with Retry-After, then sends; nothing is lost or sent twice', async () => {
    const repo = await repoWithSessions('http/protobuf');
    let status = 503;
    const r = await receiver({
      respond: () => (status === 200 ? undefined : { status, headers: { 'retry-after': '120' } }),
    });
    pointAt(repo, r.endpoint);
    const before = Date.now();
    await exportNow(repo);
    expect(r.requests).toHaveLength(1);
    expect(state(repo).notBefore).toBeGreaterThanOrEqual(before + 119_000);
    expect(state(repo).shipped ?? {}).toEqual({});

    status = 200;
    await exportNow(repo); // still inside Retry-After: no request at all
    expect(r.requests).toHaveLength(1);
    writeFileSync(join(repo, STATE), JSON.stringify({ ...state(repo), notBefore: Date.now() - 1 }));
    await exportNow(repo);
    await exportNow(repo); // nothing left to send
    expect(r.requests).toHaveLength(2);
    expect(r.logRecords().filter((x) => x.event === 'spine.session')).toHaveLength(2);
    expect(Object.keys(state(repo).shipped).sort()).toEqual(['s-1', 's-2']);
  }, 60_000);

  it('never resends what a collector refused as bad data (400), and records that it did', async () => {
    const repo = await repoWithSessions('http/json');
    const r = await receiver({ respond: () => ({ status: 400 }) });
    pointAt(repo, r.endpoint);
    await exportNow(repo);
    await exportNow(repo);
    expect(r.requests).toHaveLength(1);
    expect(state(repo).lastRejected).toMatchObject({ status: 400, sessions: 2 });
    expect(Object.keys(state(repo).shipped).sort()).toEqual(['s-1', 's-2']);
  }, 60_000);

  it('keeps the records for a later session on 401 (a missing token is fixed by a person)', async () => {
    const repo = await repoWithSessions('http/protobuf');
    let status: number | undefined = 401;
    const r = await receiver({ respond: () => (status ? { status } : undefined) });
    pointAt(repo, r.endpoint);
    await exportNow(repo);
    expect(state(repo).shipped ?? {}).toEqual({});
    status = undefined;
    await exportNow(repo);
    expect(r.requests).toHaveLength(2);
    expect(r.logRecords().filter((x) => x.event === 'spine.session')).toHaveLength(2);
  }, 60_000);
});

describe('a collector behind a corporate CA (NODE_EXTRA_CA_CERTS)', () => {
  it('the hook starts without the CA bundle; the exporter it starts at SessionEnd has it and reaches the collector', async () => {
    const ca = privateCa();
    const repo = await repoWithSessions('http/json');
    const r = await receiver({ tls: { key: ca.key, cert: ca.cert } });
    pointAt(repo, r.endpoint);
    const { NODE_EXTRA_CA_CERTS: _, ...clean } = process.env;
    const env = { ...clean, CLAUDE_PROJECT_DIR: repo, CLAUDE_CODE_ENABLE_TELEMETRY: '1' };

    // Without the CA the collector's certificate is not trusted: nothing is sent, nothing lost.
    await exportNow(repo, env);
    expect(r.requests).toEqual([]);
    expect(state(repo).shipped ?? {}).toEqual({});

    // A bundle node cannot load makes node warn at start: the blocking hook never reads it.
    const missing = await new Promise<{ stderr: string; code: number | null }>((resolve) => {
      const child = execFile(
        '/bin/bash',
        [
          '-c',
          JSON.parse(readFileSync(join(repo, '.claude/settings.json'), 'utf8')).hooks.PreToolUse[0].hooks[0]
            .command,
        ],
        { cwd: repo, env: { ...env, NODE_EXTRA_CA_CERTS: join(repo, 'no-such-bundle.pem') } },
        (error, _stdout, stderr) => resolve({ stderr, code: error ? (error.code as number) : 0 }),
      );
      child.stdin?.end(
        JSON.stringify({
          session_id: 's-3',
          transcript_path: join(repo, 'none.jsonl'),
          cwd: repo,
          hook_event_name: 'PreToolUse',
          tool_name: 'Bash',
          tool_input: { command: 'ls' },
          tool_use_id: 't3',
        }),
      );
    });
    expect(missing).toEqual({ stderr: '', code: 0 });

    // SessionEnd as the client runs it, on a corporate machine: the detached exporter gets the CA.
    const end = execFile('/bin/bash', ['-c', sessionEndCommand(repo)], {
      cwd: repo,
      env: { ...env, NODE_EXTRA_CA_CERTS: ca.caFile },
    });
    end.stdin?.end(
      JSON.stringify({
        session_id: 's-3',
        transcript_path: join(repo, 'none.jsonl'),
        cwd: repo,
        hook_event_name: 'SessionEnd',
        reason: 'other',
      }),
    );
    const deadline = Date.now() + 20_000;
    while (r.logRecords().filter((x) => x.event === 'spine.session').length < 3 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.requests).toEqual([{ path: '/v1/logs', contentType: 'application/json' }]);
    expect(r.logRecords().filter((x) => x.event === 'spine.session')).toHaveLength(3);
  }, 60_000);
});

function sessionEndCommand(repo: string): string {
  const settings = JSON.parse(readFileSync(join(repo, '.claude/settings.json'), 'utf8'));
  return settings.hooks.SessionEnd[0].hooks[0].command;
}
