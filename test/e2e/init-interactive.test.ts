import { describe, expect, it } from 'vitest';
import { git, gitdir, read } from '../helpers/gitdir.js';
import { HAS_SCRIPT, runOnTerminal } from '../helpers/terminal.js';

/** On a terminal, init asks for what the flags did not give; the test answers each prompt. */
describe.skipIf(!HAS_SCRIPT)('spine init on a terminal', () => {
  it('asks for the team and the champion, and records the answers', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const result = await runOnTerminal(
      repo,
      ['init'],
      [
        [/Team name/, 'payments'],
        [/Spine champion/, '@alice'],
      ],
    );
    expect(result.code, result.output).toBe(0);
    expect(read(repo, '.spine/local.yaml')).toContain('team: "payments"');
    expect(read(repo, '.spine/local.yaml')).toContain('champion: "@alice"');
  });

  it("offers the champion as a @handle: the forge login git knows, else the e-mail's local part", async () => {
    for (const [config, offered] of [
      [{ 'github.user': 'octo-cat', 'user.email': 'alice.smith@example.com' }, '@octo-cat'],
      [{ 'user.email': 'alice.smith@example.com' }, '@alice-smith'],
    ] as const) {
      const repo = gitdir();
      for (const [key, value] of Object.entries(config)) git(repo, 'config', key, value);
      const result = await runOnTerminal(
        repo,
        ['init', '--team', 'ops'],
        [[/Spine champion/, '']], // Enter: take what is offered
      );
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain(`(${offered})`);
      expect(read(repo, '.spine/local.yaml')).toContain(`champion: "${offered}"`);
    }
  });

  it('does not ask for what the flags give', async () => {
    const repo = gitdir();
    const result = await runOnTerminal(repo, ['init', '--team', 'ops', '--champion', '@bo'], []);
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/Team name|Spine champion/);
  });
});
