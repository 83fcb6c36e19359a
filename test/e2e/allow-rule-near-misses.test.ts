import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/gitdir.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';
import { exportToReceiver, hookSession, onboardTeam, reportFromOtel } from '../helpers/telemetry-pipeline.js';
import { auditLines } from '../hooks/run-hook.js';

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

/** One session of `npm run` calls: the clean ones build, the leaky ones end in the sandbox's refusal. */
function session(repo: string, id: string): Promise<void> {
  const commands = Array.from({ length: CLEAN + LEAKY }, (_, i) =>
    i < CLEAN ? 'npm run build' : 'npm run show-config',
  );
  return hookSession(
    repo,
    id,
    commands,
    (_, i) => (i < CLEAN ? { output: 'built' } : { output: 'cat: .env: Permission denied', isError: true }),
    (i) => new Date(Date.UTC(2026, 11, 1, 10, 0, i)),
  );
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
      const repo = await onboardTeam(spine, team, { 'README.md': `# ${team}\n`, '.gitignore': '.env\n' });
      writeFileSync(join(repo, '.env'), 'K=v\n');
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
    expect(refused.map((l) => l.tool_use_id)).toEqual(['alpha-1_5', 'alpha-1_6']);
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
    const exported = await exportToReceiver(repos, receiver, () => tempDir('spine-allow-home-'));
    const sessions = receiver.logRecords().filter((r) => r.event === 'spine.session');
    expect(sessions.map((r) => r.attributes['spine.allow_rules'])).toContainEqual({
      'allow-npm-scripts:calls': CLEAN + LEAKY,
      'allow-npm-scripts:near_misses': LEAKY,
    });
    const run = await reportFromOtel(exported, receiver);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).allowRules).toEqual([TIGHTEN]);
  });
});
