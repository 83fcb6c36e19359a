import { Command } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FlagDefinition, GLOBAL_FLAGS } from '../../src/cli-command.js';
import { addCommand } from '../../src/cli-define.js';
import { parseFlags } from '../../src/cli-fast.js';
import { doctorCommand } from '../../src/commands/doctor/command.js';

/** What commander's doctor command gives its action for these words, or undefined if it refuses them. */
async function commanderFlags(words: string[]): Promise<Record<string, unknown> | undefined> {
  let flags: Record<string, unknown> | undefined;
  const program = new Command('spine').exitOverride().enablePositionalOptions();
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  const command = addCommand(program, doctorCommand, program);
  command.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  command.action((...params: unknown[]) => {
    flags = (params.at(-1) as Command).opts();
  });
  try {
    await program.parseAsync(['doctor', ...words], { from: 'user' });
  } catch {
    return undefined;
  }
  return flags;
}

const DOCTOR_FLAGS: FlagDefinition[] = [...GLOBAL_FLAGS, ...(doctorCommand.flags ?? [])];

const word = fc.constantFrom(
  '--strict',
  '--fix',
  '--force',
  '--offline',
  '--sarif',
  '--sarif=out.sarif',
  '--sarif=',
  'report.sarif',
  '--cwd',
  '--cwd=sub',
  '.',
  '--json',
  '--json=1',
  '--no-color',
  '--color',
  '--debug',
  '-q',
  '-qj',
  '--quiet',
  '--help',
  '-h',
  '-V',
  '--',
  '--bogus',
  '',
  '-',
);

describe('doctor without commander', () => {
  it('takes a command line only where commander gives the same flags', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 6 }), async (words) => {
        const fast = parseFlags(DOCTOR_FLAGS, words);
        if (fast !== undefined) expect(fast).toEqual(await commanderFlags(words));
      }),
      { numRuns: 1500 },
    );
  });

  it.each([
    [[], { color: true }],
    [['--offline', '--json'], { color: true, offline: true, json: true }],
    [
      ['--sarif', '--json', '-q', '--no-color', '--cwd=sub'],
      { color: false, sarif: '--json', quiet: true, cwd: 'sub' },
    ],
  ])('%j is run directly', (words, expected) => {
    expect(parseFlags(DOCTOR_FLAGS, words)).toEqual(expected);
  });

  it.each([[['--help']], [['x']], [['--sarif']], [['--json=1']], [['--']], [['-qj']]])(
    '%j is left to commander',
    (words) => {
      expect(parseFlags(DOCTOR_FLAGS, words)).toBeUndefined();
    },
  );

  it('leaves a command with a flag of known values or a list to commander', () => {
    expect(parseFlags([{ flags: '--ci <name>', description: '', choices: ['github'] }], [])).toBeUndefined();
    expect(parseFlags([{ flags: '--owners <handles...>', description: '' }], [])).toBeUndefined();
  });
});
