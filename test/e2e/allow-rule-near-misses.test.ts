import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, gitdir, tempDir } from '../helpers/gitdir.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';
import { auditLines, HOOK } from '../hooks/run-hook.js';

/**
 * An allow rule whose calls keep reaching for secrets, end to end through the real hook process:
 * the spine allows `npm run` without asking; some of those scripts read `.env`, and the OS sandbox
 * refuses them (the transcript's output, as the client writes it). The audit log ties each refusal
 * to the allow rule that let the call run, the exporter ships the counts over OTLP, and the report
 * recommends tightening the rule — from the audit logs and from `--otel` alike.
 */

const CLEAN = 5;
const LEAKY = 2;
let receiver: OtlpReceiver;
const repos: Record<string, string> = {};

afterAll(async () => {
  await receiver?.close();
});

const env = (repo: string, telemetry: string) => ({
  ...process.env,
  HOME: tempDir('spine-allow-home-'),
  CLAUDE_PROJECT_DIR: repo,
  CLAUDE_CODE_ENABLE_TELEMETRY: telemetry,
});

function send(repo: string, payload: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(repo, HOOK)],
      { cwd: repo, env: env(repo, '0') },
      (error) => (error ? reject(error) : resolve()),
    );
    child.stdin?.end(JSON.stringify({ cwd: repo, ...payload }));
  });
}

/** One session of `npm run` calls: the clean ones build, the leaky ones end in the sandbox's refusal. */
async function session(repo: string, id: string): Promise<void> {
  const transcript = join(tempDir('spine-allow-transcript-'), `${id}.jsonl`);
  const lines: string[] = [];
  for (let i = 0; i < CLEAN + LEAKY; i++) {
    const leaky = i >= CLEAN;
    const call = {
      tool_name: 'Bash',
      tool_use_id: `toolu_${i}`,
      tool_input: { command: leaky ? 'npm run show-config' : 'npm run build' },
    };
    await send(repo, { session_id: id, transcript_path: transcript, hook_event_name: 'PreToolUse', ...call });
    const ts = new Date(Date.UTC(2026, 11, 1, 10, 0, i)).toISOString();
    const text = leaky ? 'cat: .env: Permission denied' : 'built';
    lines.push(
      JSON.stringify({
        type: 'assistant',
        timestamp: ts,
        message: {
          content: [{ type: 'tool_use', id: call.tool_use_id, name: 'Bash', input: call.tool_input }],
        },
      }),
      JSON.stringify({
        type: 'user',
        timestamp: ts,
        message: {
          content: [{ type: 'tool_result', tool_use_id: call.tool_use_id, content: text, is_error: leaky }],
        },
        toolUseResult: leaky ? `Error: ${text}` : { stdout: text, stderr: '' },
      }),
    );
  }
  writeFileSync(transcript, `${lines.join('\n')}\n`);
  await send(repo, {
    session_id: id,
    transcript_path: transcript,
    hook_event_name: 'SessionEnd',
    reason: 'other',
  });
}

beforeAll(async () => {
  const spine = spineCopy((dir) => {
    editFile(dir, 'guardrails/audit.yaml', (text) =>
      text.replace(
        'telemetry:\n  enabled: false',
        'telemetry:\n  enabled: true\n  endpoint: http://127.0.0.1:9\n  protocol: http/json',
      ),
    );
    editFile(dir, 'guardrails/permissions.yaml', (text) =>
      text.replace(
        '\nneverAllow:',
        '\nallow:\n  - id: allow-npm-scripts\n    rules:\n      - "Bash(npm run:*)"\n    level: default\n    why: Project scripts build and test; asking for each one is noise.\n\nneverAllow:',
      ),
    );
  });
  receiver = await startOtlpReceiver();
  await Promise.all(
    ['alpha', 'beta'].map(async (team) => {
      const repo = gitdir({ 'README.md': `# ${team}\n`, '.gitignore': '.env\n' });
      writeFileSync(join(repo, '.env'), 'K=v\n');
      git(repo, 'remote', 'add', 'origin', `https://github.com/acme/${team}.git`);
      const init = await runCli(
        ['init', '--yes', '--team', team, '--champion', `${team}-lead`, '--spine', spine],
        {
          cwd: repo,
        },
      );
      expect(init.code, init.stderr).toBe(0);
      repos[team] = repo;
      await session(repo, `${team}-1`);
    }),
  );
}, 120_000);

const TIGHTEN = {
  guardrail: 'allow-npm-scripts',
  calls: 2 * (CLEAN + LEAKY),
  nearMisses: 2 * LEAKY,
  teams: [
    { team: 'alpha', calls: CLEAN + LEAKY, nearMisses: LEAKY },
    { team: 'beta', calls: CLEAN + LEAKY, nearMisses: LEAKY },
  ],
  verdict: 'tighten',
};

describe('an allow rule whose calls reach for secrets', () => {
  it('is tied to the sandbox refusals of the calls it let run, in the audit log', () => {
    const lines = auditLines(repos.alpha!);
    const allowed = lines.filter((l) => l.event === 'PreToolUse' && l.rule === 'allow-npm-scripts');
    expect(allowed).toHaveLength(CLEAN + LEAKY);
    expect(allowed.every((l) => l.decision === 'allow')).toBe(true);
    const refused = lines.filter((l) => l.layer === 'sandbox' && l.decision === 'deny');
    expect(refused.map((l) => l.tool_use_id)).toEqual(['toolu_5', 'toolu_6']);
  });

  it('the report recommends tightening it, with the evidence and the spine change', async () => {
    const run = await runCli(['report', repos.alpha!, repos.beta!, '--json'], { cwd: repos.alpha! });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.allowRules).toEqual([TIGHTEN]);
    const rec = report.recommendations.find((r: { kind: string }) => r.kind === 'tighten-allow');
    expect(rec.title).toBe('Tighten allow-npm-scripts: 4 of the 14 calls it allowed reached for a secret');
    expect(rec.evidence).toContain('alpha 2/7, beta 2/7');
    expect(rec.command).toContain(
      'move allow-npm-scripts from allow: to ask: in guardrails/permissions.yaml',
    );
    const page = join(tempDir('spine-allow-html-'), 'report.html');
    const html = await runCli(['report', repos.alpha!, repos.beta!, '--html', page], { cwd: repos.alpha! });
    expect(html.code, html.stderr).toBe(0);
    const section = readFileSync(page, 'utf8').split('id="guardrail-use"')[1] ?? '';
    expect(section).toContain('Allow rules whose calls reached for a secret');
    expect(section).toMatch(/allow-npm-scripts[\s\S]*alpha 2\/7, beta 2\/7[\s\S]*tighten it/);
    const human = await runCli(['report', repos.alpha!, repos.beta!], { cwd: repos.alpha! });
    expect(human.stdout).toContain(
      'allow rule allow-npm-scripts: 4 of 14 allowed call(s) then stopped by the sandbox',
    );
  });

  it('reaches the report over OTLP', async () => {
    const dir = tempDir('spine-allow-facts-');
    const facts: string[] = [];
    for (const [team, repo] of Object.entries(repos)) {
      const policyFile = join(repo, '.claude/hooks/spine-policy.json');
      const policy = JSON.parse(readFileSync(policyFile, 'utf8'));
      policy.telemetry = { endpoint: receiver.endpoint, protocol: 'http/json' };
      writeFileSync(policyFile, JSON.stringify(policy));
      await promisify(execFile)(process.execPath, [join(repo, HOOK), 'export'], {
        cwd: repo,
        env: env(repo, '1'),
      });
      const collected = await runCli(['facts', '--json'], { cwd: repo });
      const file = join(dir, `${team}.json`);
      writeFileSync(file, JSON.stringify({ ...JSON.parse(collected.stdout), activity: null }));
      facts.push(file);
    }
    const sessions = receiver.logRecords().filter((r) => r.event === 'spine.session');
    expect(sessions.map((r) => r.attributes['spine.allow_rules'])).toContainEqual({
      'allow-npm-scripts:calls': CLEAN + LEAKY,
      'allow-npm-scripts:near_misses': LEAKY,
    });
    const run = await runCli(
      [
        'report',
        ...facts.flatMap((f) => ['--facts', f]),
        '--otel',
        receiver.logsFile,
        '--no-doctor',
        '--json',
      ],
      { cwd: dir },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).allowRules).toEqual([TIGHTEN]);
  });
});
