import { describe, expect, it } from 'vitest';
import { read, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { OTEL_EXAMPLE, telemetrySpine } from '../helpers/spine-copy.js';
import { onboardTeam } from '../helpers/telemetry-pipeline.js';

/** doctor knows the telemetry the spine asks for: switched off, or attributed to the wrong champion. */
async function onboarded(): Promise<string> {
  return onboardTeam(telemetrySpine(OTEL_EXAMPLE), 'payments', { 'README.md': '# x\n' }, 'alice');
}

const codes = (stdout: string) =>
  (JSON.parse(stdout).findings as { code: string; message: string }[]).map((f) => `${f.code} ${f.message}`);

describe('doctor and the spine telemetry', () => {
  it('is an error when the local settings switch telemetry off', async () => {
    const repo = await onboarded();
    expect((await runCli(['doctor', '--offline'], { cwd: repo })).code).toBe(0);
    writeTree(repo, {
      '.claude/settings.local.json': JSON.stringify({ env: { CLAUDE_CODE_ENABLE_TELEMETRY: '0' } }),
    });
    const doctor = await runCli(['doctor', '--offline', '--json'], { cwd: repo });
    expect(doctor.code).toBe(1);
    expect(codes(doctor.stdout).join('\n')).toMatch(/locked-setting-missing .*CLAUDE_CODE_ENABLE_TELEMETRY/);
  });

  it('reports stale attribution after the champion changes, and --fix rewrites it', async () => {
    const repo = await onboarded();
    expect(JSON.parse(read(repo, '.claude/settings.json')).env.OTEL_RESOURCE_ATTRIBUTES).toContain(
      'spine.repo=github.com/acme/payments',
    );
    writeTree(repo, { '.spine/local.yaml': read(repo, '.spine/local.yaml').replace('alice', 'bob') });
    const doctor = await runCli(['doctor', '--offline', '--json'], { cwd: repo });
    expect(doctor.code).toBe(1);
    expect(codes(doctor.stdout).join('\n')).toMatch(/locked-setting-missing .*OTEL_RESOURCE_ATTRIBUTES/);
    const fix = await runCli(['doctor', '--offline', '--fix'], { cwd: repo });
    expect(fix.code, fix.stdout + fix.stderr).toBe(0);
    expect(JSON.parse(read(repo, '.claude/settings.json')).env.OTEL_RESOURCE_ATTRIBUTES).toContain(
      'spine.champion=bob',
    );
  });
});
