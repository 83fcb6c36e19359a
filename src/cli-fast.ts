import { type CommandDefinition, type FlagDefinition, GLOBAL_FLAGS, runCommand } from './cli-command.js';
import { doctorCommand } from './commands/doctor/command.js';

/**
 * Commands that run without building commander's program: the ones run often enough that
 * defining every command (and compiling commander) is a large part of their start-up. Only
 * plain command lines take this path; anything else goes to commander, which parses it alike.
 */
const FAST_COMMANDS: CommandDefinition<any>[] = [doctorCommand];

/**
 * Runs `argv` when it is a fast command followed only by its own and the global flags, each
 * spelled as commander accepts it (`--sarif <file>`, `--sarif=<file>`, `--no-color`, `-q`).
 * False for anything else — help, an operand, an unknown or repeated-short flag, `--` — which
 * commander then parses and reports as before.
 */
export async function runWithoutCommander(argv: string[]): Promise<boolean> {
  const definition = FAST_COMMANDS.find((d) => d.name === argv[0]);
  if (!definition?.run || definition.arguments?.length || definition.subcommands?.length) return false;
  const flags = parseFlags([...GLOBAL_FLAGS, ...(definition.flags ?? [])], argv.slice(1));
  if (!flags) return false;
  await runCommand(definition.run, flags, []);
  return true;
}

interface ParsedFlag {
  /** The key in commander's `opts()`: the camel-cased long name without `no-`. */
  key: string;
  takesValue: boolean;
  negated: boolean;
}

/** commander's `opts()` for these words, or undefined where commander could answer otherwise. */
export function parseFlags(
  definitions: FlagDefinition[],
  words: string[],
): Record<string, unknown> | undefined {
  const byWord = new Map<string, ParsedFlag>();
  const flags: Record<string, unknown> = {};
  for (const definition of definitions) {
    // Choices and mandatory flags are commander's to check and word.
    if (definition.choices || definition.required) return undefined;
    const spelled = parseSyntax(definition.flags);
    if (!spelled) return undefined;
    for (const word of spelled.words) byWord.set(word, spelled.flag);
    // commander gives a `--no-x` flag its default `true` up front.
    if (spelled.flag.negated) flags[spelled.flag.key] = true;
  }
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const equals = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = byWord.get(equals > 0 ? word.slice(0, equals) : word);
    if (!flag) return undefined;
    if (!flag.takesValue) {
      if (equals > 0) return undefined;
      flags[flag.key] = !flag.negated;
    } else if (equals > 0) {
      flags[flag.key] = word.slice(equals + 1);
    } else {
      // commander takes the next word as the value, whatever it looks like.
      if (i + 1 >= words.length) return undefined;
      flags[flag.key] = words[++i];
    }
  }
  return flags;
}

/** `-q, --quiet`, `--sarif <file>`, `--no-color` → the words and what they set; undefined otherwise. */
function parseSyntax(syntax: string): { words: string[]; flag: ParsedFlag } | undefined {
  const match = /^(?:(-[A-Za-z]), )?--([a-z][a-z0-9-]*)(?: <[^>.]+>)?$/.exec(syntax);
  if (!match) return undefined;
  const [, short, long] = match as unknown as [string, string | undefined, string];
  const negated = long.startsWith('no-');
  if (negated && syntax.endsWith('>')) return undefined;
  const name = negated ? long.slice(3) : long;
  return {
    words: [...(short ? [short] : []), `--${long}`],
    flag: {
      key: name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
      takesValue: syntax.endsWith('>'),
      negated,
    },
  };
}
