import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir, read } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

const WORKFLOW = '.github/workflows/spine.yml';

describe('the managed CI workflow', () => {
  it('is recorded in the lock, checked by doctor and restored by --fix', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--ci', 'github'], {
      cwd: repo,
    });
    expect(init.code).toBe(0);
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    expect(lock.files[WORKFLOW]).toMatchObject({ kind: 'workflow', owner: 'ci' });

    const clean = await runCli(['doctor', '--strict', '--json', '--offline'], { cwd: repo });
    expect(
      JSON.parse(clean.stdout).findings.filter((f: { severity: string }) => f.severity !== 'info'),
    ).toEqual([]);

    const original = read(repo, WORKFLOW);
    appendFileSync(join(repo, WORKFLOW), '      - run: echo skipped\n');
    const drift = await runCli(['doctor', '--json', '--offline'], { cwd: repo });
    const findings = JSON.parse(drift.stdout).findings as { code: string; path: string }[];
    expect(findings.map((f) => [f.code, f.path])).toContainEqual(['managed-file-edited', WORKFLOW]);

    // Committed drift: --fix never replaces uncommitted work without --force.
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'drift');
    expect((await runCli(['doctor', '--fix', '--offline'], { cwd: repo })).code).toBe(0);
    expect(read(repo, WORKFLOW)).toBe(original);
  });

  it('stays managed when init runs again without --ci', async () => {
    const repo = gitdir();
    await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--ci', 'github'], { cwd: repo });
    const again = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--json'], { cwd: repo });
    expect(JSON.parse(again.stdout).changes).toEqual([]);
    expect(JSON.parse(read(repo, '.spine/lock.json')).files[WORKFLOW]).toBeDefined();
  });
});
