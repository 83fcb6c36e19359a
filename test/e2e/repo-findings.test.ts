import { describe, expect, it } from 'vitest';
import { git, gitdir, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * What onboarding cannot fix for the team, said once by init and kept by doctor: a secret git
 * holds (the sandbox hides the file, not git's copy), a secret git would take, a CLAUDE.md git
 * ignores, a committed personal settings file, a team bypass default kept.
 */

function teamRepo(): string {
  const repo = gitdir({
    'README.md': '# app\n',
    '.env': 'TOKEN=committed-secret\n',
    '.env.example': 'TOKEN=example\n',
    'test/fixtures/cert.pem': '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
    '.gitignore': 'CLAUDE.md\n',
    '.claude/settings.local.json': '{}\n',
    '.claude/settings.json': '{"permissions":{"defaultMode":"bypassPermissions"}}\n',
  });
  writeTree(repo, { 'deploy/server.key': 'not ignored\n' });
  return repo;
}

const codes = (json: { findings: { code: string; path: string }[] }) =>
  json.findings
    .filter((f) =>
      ['secret-tracked', 'secret-not-ignored', 'claude-md-ignored', 'local-settings-tracked'].includes(
        f.code,
      ),
    )
    .map((f) => `${f.code} ${f.path}`)
    .sort();

describe('init and doctor say what onboarding cannot fix', () => {
  it('init names each once, with the fix; doctor reports the same; fixing one clears it', async () => {
    const repo = teamRepo();
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    const lines = init.stdout.split('\n');
    const line = (code: string) => lines.filter((l) => l.includes(` ${code}: `));
    expect(line('secret-tracked')).toEqual([expect.stringContaining('.env: ')]);
    expect(line('secret-tracked')[0]).toMatch(/git rm --cached \.env.*rotate the secret.*rewrite history/);
    expect(line('secret-not-ignored')).toEqual([expect.stringContaining('deploy/server.key')]);
    expect(line('claude-md-ignored')).toHaveLength(1);
    expect(line('local-settings-tracked')).toHaveLength(1);
    expect(line('bypass-enabled')).toEqual([expect.stringContaining('bypassPermissions')]);
    // Public certificates and example files are not secrets.
    expect(init.stdout).not.toMatch(/cert\.pem|\.env\.example/);

    const doctor = await runCli(['doctor', '--json'], { cwd: repo });
    expect(doctor.code).toBe(1);
    const report = JSON.parse(doctor.stdout);
    expect(codes(report)).toEqual([
      'claude-md-ignored CLAUDE.md',
      'local-settings-tracked .claude/settings.local.json',
      'secret-not-ignored deploy/server.key',
      'secret-tracked .env',
    ]);
    expect(report.findings.find((f: { code: string }) => f.code === 'secret-tracked').severity).toBe('error');

    // Staged but never committed is still in git's objects: found in the index as well.
    writeTree(repo, { 'keys/id_rsa': 'staged\n' });
    git(repo, 'add', '-f', 'keys/id_rsa');
    git(repo, 'rm', '-q', '--cached', '.env', '.claude/settings.local.json');
    writeTree(repo, { '.gitignore': '.env\n.claude/settings.local.json\ndeploy/\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'untrack secrets');
    const after = JSON.parse((await runCli(['doctor', '--json'], { cwd: repo })).stdout);
    expect(codes(after)).toEqual(['secret-tracked keys/id_rsa']);
  }, 60_000);

  it('a clean repository gets none of these lines', async () => {
    const repo = gitdir({ 'README.md': '# app\n', '.gitignore': '.env\n', '.env': 'K=v\n' });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).not.toMatch(/secret-|claude-md-ignored|local-settings-tracked|bypass-enabled/);
  }, 60_000);
});
