import { describe, expect, it } from 'vitest';
import { doctor, editJson, onboarded, onboardOnce, SETTINGS } from '../helpers/doctor-repo.js';
import { runCli } from '../helpers/run-cli.js';

onboardOnce();

describe('spine doctor groups a removed guardrail into one finding', () => {
  it('18 missing rules of secret-dotenv (and 14 of secret-keys) → one finding each, the rules listed; --json keeps all 32', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = s.permissions.deny.filter(
        (r: string) => !r.includes('.env') && !/\.(pem|key|p12|pfx)\)|id_(rsa|ed25519|ecdsa)/.test(r),
      );
    });
    const result = await runCli(['doctor', '--no-color'], { cwd: repo });
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out.match(/^ {2}locked-rule-missing /gm)).toHaveLength(2);
    expect(out).toContain('Errors (2, covering 32 entries)');
    expect(out).toContain(
      'guardrail secret-dotenv: 18 of its entries are missing from the effective settings',
    );
    expect(out).toContain('guardrail secret-keys: 14 of its entries are missing from the effective settings');
    for (const glob of ['.env', '.env.local', '.env.*.local', '.env.production', '.env.test'])
      for (const tool of ['Read', 'Edit']) expect(out).toContain(`${tool}(**/${glob})`);
    expect(out).toContain('32 error(s), 0 warning(s)');
    expect(out.split('\n').length).toBeLessThan(25);

    const { report } = await doctor(repo);
    expect(report.findings).toHaveLength(32);
    expect(report.summary.error).toBe(32);
  });

  it('one finding of a guardrail stays as it was, with its line', async () => {
    const repo = onboarded();
    editJson(repo, SETTINGS, (s) => {
      s.permissions.deny = s.permissions.deny.filter((r: string) => r !== 'Read(**/.env)');
    });
    const result = await runCli(['doctor', '--no-color'], { cwd: repo });
    expect(result.stdout).toContain('Errors (1)');
    expect(result.stdout).toMatch(/locked-rule-missing {2}\.claude\/settings\.json:\d+/);
    expect(result.stdout).toContain('locked deny rule "Read(**/.env)" (secret-dotenv) is missing');
  });
});
