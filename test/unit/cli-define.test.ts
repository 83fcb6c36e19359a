import type { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';

const calls: { command: string; options: Record<string, unknown> }[] = [];
vi.mock('../../src/commands/init/index.js', () => ({
  runInit: async (options: Record<string, unknown>) => calls.push({ command: 'init', options }),
}));
vi.mock('../../src/commands/remove/print.js', () => ({
  runRemove: async (options: Record<string, unknown>) => calls.push({ command: 'remove', options }),
}));
vi.mock('../../src/commands/rollout/status.js', () => ({
  runRolloutStatus: async (options: Record<string, unknown>) =>
    calls.push({ command: 'rollout status', options }),
}));
vi.mock('../../src/commands/rollout/index.js', () => ({
  runRollout: async (options: Record<string, unknown>) => calls.push({ command: 'rollout', options }),
}));

const { buildProgram } = await import('../../src/cli.js');

function commands(program: Command): Command[] {
  return program.commands.flatMap((c) => [c, ...commands(c)]);
}

describe('the command table', () => {
  it('every command that runs has help examples', () => {
    for (const command of commands(buildProgram())) {
      if ((command as unknown as { _actionHandler: unknown })._actionHandler === null) continue;
      let help = '';
      command.configureOutput({ writeOut: (s) => (help += s) });
      command.outputHelp();
      expect(help, command.name()).toMatch(/Examples:\n {2}\$ spine /);
    }
  });

  it.each([
    [
      ['init', '--team', 'payments', '--ci', 'github', '--dry-run', '--cwd', '/tmp'],
      'init',
      { team: 'payments', ci: 'github', dryRun: true, offline: false, cwd: '/tmp' },
    ],
    [['remove', '--dry-run', '--json'], 'remove', { dryRun: true, json: true }],
    [['remove'], 'remove', { dryRun: false, json: false }],
    [
      ['rollout', 'a', 'b', '--concurrency', '2', '--publish', '--match', 'x*', 'y*'],
      'rollout',
      { repos: ['a', 'b'], concurrency: 2, publish: true, match: ['x*', 'y*'], topics: [] },
    ],
    [
      ['rollout', 'status', '--from-file', 'teams.txt', '--json'],
      'rollout status',
      { repos: [], fromFile: 'teams.txt', json: true, concurrency: 4 },
    ],
  ])('%j → %s options', async (argv, command, expected) => {
    calls.length = 0;
    await buildProgram().parseAsync(argv, { from: 'user' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.command).toBe(command);
    expect(calls[0]!.options).toMatchObject(expected);
  });

  it('a flag with known values refuses others', async () => {
    const program = buildProgram();
    program.commands.forEach((c) => {
      c.exitOverride();
      c.configureOutput({ writeErr: () => {} });
    });
    await expect(program.parseAsync(['init', '--ci', 'gitlab'], { from: 'user' })).rejects.toThrow(
      /Allowed choices are github/,
    );
  });
});
