import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitdir, read, snapshot, tempDir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';

/**
 * Masked credentials (secrets.yaml `credentials`): the managed tier carries the mask, project
 * settings keep the deny, and a spine asking for a mask that would not work is refused.
 */

const MASK = `
credentials:
  - id: github-token-masked
    envVars: [GITHUB_TOKEN]
    injectHosts: [api.github.com]
    level: locked
    why: gh and git push work in the sandbox while the agent never sees the token.
`;

/** The embedded spine with GITHUB_TOKEN moved from the hidden variables to a mask. */
function maskingSpine(extra = MASK): string {
  return spineCopy((dir) => {
    editFile(dir, 'guardrails/secrets.yaml', (t) => t.replace('      - GITHUB_TOKEN\n', ''));
    appendFileSync(join(dir, 'guardrails/secrets.yaml'), extra);
  });
}

describe('a masked credential', () => {
  it('export managed-settings carries it in mask mode with its inject hosts; project settings deny it', async () => {
    const spine = maskingSpine();
    expect((await runCli(['validate', spine], { cwd: tempDir() })).code).toBe(0);
    const exported = await runCli(['export', 'managed-settings', '--spine', spine], { cwd: tempDir() });
    expect(exported.code, exported.stderr).toBe(0);
    const managed = JSON.parse(exported.stdout);
    expect(managed.sandbox.credentials.envVars).toContainEqual({
      name: 'GITHUB_TOKEN',
      mode: 'mask',
      injectHosts: ['api.github.com'],
    });
    // Never denied in the managed tier: the deny would beat the mask.
    expect(managed.sandbox.credentials.envVars).not.toContainEqual({ name: 'GITHUB_TOKEN', mode: 'deny' });
    expect(managed.sandbox.credentials.envVars).toContainEqual({ name: 'NPM_TOKEN', mode: 'deny' });
    expect(managed.sandbox.credentials.allowPlaintextInject).toBeUndefined();

    const repo = gitdir({ 'README.md': '# x\n' });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--spine', spine], {
      cwd: repo,
    });
    expect(init.code, init.stderr).toBe(0);
    const project = JSON.parse(read(repo, '.claude/settings.json'));
    expect(project.sandbox.credentials.envVars).toContainEqual({ name: 'GITHUB_TOKEN', mode: 'deny' });
    expect(JSON.stringify(project)).not.toContain('"mask"');
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    expect(
      lock.settings.find((e: { key: string }) => e.key === 'sandbox.credentials.envVars[]:GITHUB_TOKEN'),
    ).toMatchObject({
      id: 'github-token-masked',
      level: 'locked',
    });
    const doctor = await runCli(['doctor', '--offline'], { cwd: repo });
    expect(doctor.code, doctor.stdout).toBe(0);
  });

  it('plain-HTTP injection with a why is exported as allowPlaintextInject', async () => {
    const spine = maskingSpine(
      MASK.replace(
        '    level: locked',
        '    allowPlaintextInject: true\n    plaintextWhy: a loopback test API\n    level: locked',
      ),
    );
    const exported = await runCli(['export', 'managed-settings', '--spine', spine], { cwd: tempDir() });
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).sandbox.credentials.allowPlaintextInject).toBe(true);
  });

  const bad: { name: string; code: string; yaml: string; keepDeny?: boolean; at: RegExp }[] = [
    {
      name: 'a mask without inject hosts',
      code: 'credential-inject-hosts',
      yaml: MASK.replace('    injectHosts: [api.github.com]\n', ''),
      at: /^spine\/guardrails\/secrets\.yaml:\d+:\d+: error credential-inject-hosts credential github-token-masked masks GITHUB_TOKEN without injectHosts/m,
    },
    {
      name: 'an empty list of inject hosts',
      code: 'credential-inject-hosts',
      yaml: MASK.replace('[api.github.com]', '[]'),
      at: /^spine\/guardrails\/secrets\.yaml:\d+:18: error credential-inject-hosts /m,
    },
    {
      name: 'a variable that is also hidden (deny)',
      code: 'credential-also-denied',
      yaml: MASK,
      keepDeny: true,
      at: /^spine\/guardrails\/secrets\.yaml:\d+:15: error credential-also-denied GITHUB_TOKEN is masked by github-token-masked and hidden by secret-env/m,
    },
    {
      name: 'allowPlaintextInject without a why',
      code: 'credential-plaintext-why',
      yaml: MASK.replace('    level: locked', '    allowPlaintextInject: true\n    level: locked'),
      at: /^spine\/guardrails\/secrets\.yaml:\d+:27: error credential-plaintext-why credential github-token-masked sets allowPlaintextInject without plaintextWhy/m,
    },
  ];

  it.each(bad)('validate refuses $name with file:line:col', async ({ code, yaml, keepDeny, at }) => {
    const spine = keepDeny
      ? spineCopy((dir) => appendFileSync(join(dir, 'guardrails/secrets.yaml'), yaml))
      : maskingSpine(yaml);
    const cwd = join(spine, '..');
    const before = snapshot(cwd);
    const result = await runCli(['validate', 'spine'], { cwd });
    expect(result.stdout).toMatch(at);
    expect(result.code).toBe(1);
    const json = JSON.parse((await runCli(['validate', 'spine', '--json'], { cwd })).stdout);
    expect(json.problems.map((p: { code: string }) => p.code)).toContain(code);
    // A spine that fails validation is not exported: exit 2, nothing written.
    const out = tempDir();
    const exported = await runCli(['export', 'managed-settings', '--spine', spine, '--out', 'm.json'], {
      cwd: out,
    });
    expect(exported.code).toBe(2);
    expect(snapshot(out)).toEqual({});
    expect(snapshot(cwd)).toEqual(before);
    expect(readFileSync(join(spine, 'guardrails/secrets.yaml'), 'utf8')).toContain('github-token-masked');
  });
});
