import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeTree } from '../helpers/gitdir.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { runCli } from '../helpers/run-cli.js';
import { telemetrySpine } from '../helpers/spine-copy.js';
import {
  exportToReceiver,
  onboardTeam,
  reportFromOtel,
  sendHookEvent,
} from '../helpers/telemetry-pipeline.js';
import { auditLines } from '../hooks/run-hook.js';

/**
 * Friction end to end: the hook process sees ordinary work a guardrail stopped (a read-only
 * ~/.npm, a registry not on the allow list, the guard refusing `touch` on a key file), the audit
 * log records its class, the exporter ships it over OTLP, and the report names each class per
 * team with the spine change — from the audit logs and from `--otel` alike.
 */

const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
const home = tempDir('spine-friction-home-');
const EROFS = `npm error code EROFS\nnpm error syscall mkdir\nnpm error path ${home}/.npm/_cacache\nnpm error EROFS: read-only file system, mkdir '${home}/.npm/_cacache'`;

let spine: string;
let receiver: OtlpReceiver;
const repos: Record<string, string> = {};

afterAll(async () => {
  await receiver?.close();
});

async function onboard(team: string): Promise<string> {
  const repo = await onboardTeam(spine, team, {
    'README.md': `# ${team}\n`,
    'package.json': '{"name":"app"}\n',
  });
  writeTree(repo, { 'server.key': KEY });
  return repo;
}

/** One hook event through the real hook process. */
function send(repo: string, session: string, name: string, fields: object): Promise<void> {
  return sendHookEvent(repo, home, {
    session_id: session,
    transcript_path: join(repo, 'none.jsonl'),
    hook_event_name: name,
    ...fields,
  });
}

/** A session whose `npm ci` meets a read-only ~/.npm, plus one more refusal of ordinary work. */
async function session(repo: string, id: string, extra: { command: string; post?: string }): Promise<void> {
  const bash = (tool_use_id: string, command: string) => ({
    tool_name: 'Bash',
    tool_use_id,
    tool_input: { command },
  });
  await send(repo, id, 'PreToolUse', bash('t1', 'npm ci'));
  await send(repo, id, 'PostToolUseFailure', { ...bash('t1', 'npm ci'), error: `Exit code 1\n${EROFS}` });
  await send(repo, id, 'PreToolUse', bash('t2', extra.command));
  if (extra.post)
    await send(repo, id, 'PostToolUse', {
      ...bash('t2', extra.command),
      tool_response: { stdout: '', stderr: extra.post },
    });
  await send(repo, id, 'SessionEnd', { reason: 'other' });
}

beforeAll(async () => {
  spine = telemetrySpine();
  receiver = await startOtlpReceiver();
  const [alpha, beta] = await Promise.all([onboard('alpha'), onboard('beta')]);
  repos.alpha = alpha;
  repos.beta = beta;
  const blocked = {
    command: 'curl -fsSL https://example.org/install.sh',
    post: 'curl: (56) CONNECT tunnel failed, response 403',
  };
  await Promise.all([
    (async () => {
      await session(alpha, 'a-1', { command: 'touch server.key' });
      await session(alpha, 'a-2', { command: 'touch server.key' });
    })(),
    (async () => {
      await session(beta, 'b-1', blocked);
      await session(beta, 'b-2', blocked);
    })(),
  ]);
}, 120_000);

describe('friction', () => {
  it('is recorded in the audit log as a class, never a value or contents', () => {
    const alpha = auditLines(repos.alpha!);
    expect(alpha.find((l) => l.event === 'PostToolUseFailure')?.friction).toEqual({
      layer: 'sandbox',
      kind: 'write',
      class: '~/.npm',
      guardrail: 'sandbox-enabled',
    });
    expect(alpha.find((l) => l.event === 'PreToolUse' && l.tool_use_id === 't2')).toMatchObject({
      decision: 'deny',
      layer: 'guard',
      friction: { layer: 'guard', kind: 'command', class: 'touch' },
    });
    const beta = auditLines(repos.beta!);
    expect(beta.find((l) => l.event === 'PostToolUse')?.friction).toMatchObject({
      kind: 'network',
      class: 'example.org',
    });
    const log = JSON.stringify([...alpha, ...beta]);
    expect(log).not.toContain('MIIEvQ');
  });

  it('the report names each class per team, with the spine change', async () => {
    const run = await runCli(['report', repos.alpha!, repos.beta!, '--json'], { cwd: repos.alpha! });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const npm = report.friction.find((f: { class: string }) => f.class === '~/.npm');
    expect(npm).toMatchObject({
      layer: 'sandbox',
      kind: 'write',
      hits: 4,
      teams: [
        { team: 'alpha', hits: 2 },
        { team: 'beta', hits: 2 },
      ],
    });
    expect(npm.change).toContain('guardrails/toolchains.yaml');
    expect(report.friction.map((f: { class: string }) => f.class).sort()).toEqual([
      'example.org',
      'touch',
      '~/.npm',
    ]);
    const rec = report.recommendations.find((r: { kind: string }) => r.kind === 'friction');
    expect(rec.title).toBe('~/.npm written 4 times in 2 teams: add to the toolchain group');
    expect(rec.command).toContain('add "~/.npm" to the write list');
    const text = await runCli(['report', repos.alpha!, repos.beta!], { cwd: repos.alpha! });
    expect(text.stdout).toContain('friction: ~/.npm written 4 time(s) in 2 team(s) (alpha 2, beta 2)');
    const page = join(tempDir('spine-friction-html-'), 'report.html');
    const html = await runCli(['report', repos.alpha!, repos.beta!, '--html', page], { cwd: repos.alpha! });
    expect(html.code, html.stderr).toBe(0);
    const section = readFileSync(page, 'utf8').split('id="guardrail-use"')[1] ?? '';
    expect(section).toContain('Friction per class');
    expect(section).toContain('~/.npm');
    expect(section).toContain('alpha 2, beta 2');
  });

  it('reaches the report over OTLP: exported, collected, read with --otel', async () => {
    const exported = await exportToReceiver(repos, receiver, () => home);
    const records = receiver.logRecords().filter((r) => r.event === 'spine.friction');
    expect(records.map((r) => r.attributes['spine.friction.class']).sort()).toEqual([
      'example.org',
      'example.org',
      'touch',
      'touch',
      '~/.npm',
      '~/.npm',
      '~/.npm',
      '~/.npm',
    ]);
    expect(readFileSync(receiver.logsFile, 'utf8')).not.toContain('MIIEvQ');
    const run = await reportFromOtel(exported, receiver);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.friction.find((f: { class: string }) => f.class === '~/.npm')).toMatchObject({ hits: 4 });
    expect(report.recommendations.map((r: { title: string }) => r.title)).toContain(
      '~/.npm written 4 times in 2 teams: add to the toolchain group',
    );
  });
});
