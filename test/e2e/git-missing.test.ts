import { describe, expect, it } from 'vitest';
import { gitdir, snapshot, tempDir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

// A machine whose PATH has no git (a slim container, a broken install): every command that needs
// git says that git is missing, not that the directory is not a git repository.
describe('no git on PATH', () => {
  const noGit = { PATH: tempDir('spine-empty-path-') };

  it.each<[boolean, ...string[]]>([
    [false, 'init', '--team', 'payments', '--champion', '@alice', '--yes'],
    [true, 'doctor'],
    [true, 'doctor', '--fix'],
    [true, 'update'],
    [false, 'facts', '--json'],
  ])('(onboarded: %s) spine %s says git is missing, exit 2, nothing written', async (onboarded, ...args) => {
    const repo = gitdir({ 'README.md': '# app\n' });
    if (onboarded) {
      const init = await runCli(['init', '--team', 'payments', '--champion', '@alice', '--yes'], {
        cwd: repo,
      });
      expect(init.code, init.stderr).toBe(0);
    }
    const before = snapshot(repo);
    const result = await runCli(args, { cwd: repo, env: noGit });
    expect(result.stderr).toMatch(/^spine: git is missing: .*no git program was found on PATH/);
    expect(result.stderr).not.toContain('not a git repository');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.code).toBe(2);
    expect(snapshot(repo)).toEqual(before);
  });

  it('with git on PATH the same directory is a repository', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const result = await runCli(['facts', '--json'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
  });
});
