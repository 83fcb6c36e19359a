import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { isatty } from 'node:tty';
import type { Command } from 'commander';
import { assertCwd } from './commands/shared/cwd.js';
import { UserError } from './errors.js';
import type { BaseOptions } from './options.js';
import { createOutput, type Output } from './output/output.js';

/** The flags every command that runs shares. */
export interface GlobalFlags {
  cwd?: string;
  quiet?: boolean;
  json?: boolean;
  color?: boolean;
  yes?: boolean;
  debug?: boolean;
}

/** One flag, as data: commander syntax, help text and, where they are known, its values. */
export interface FlagDefinition {
  /** commander syntax: `--spine <src>`, `-y, --yes`, `--no-doctor`, `--owners <handles...>`. */
  flags: string;
  description: string;
  /** The only values accepted; completion offers them. */
  choices?: readonly string[];
  required?: boolean;
}

export interface ArgumentDefinition {
  /** commander syntax: `<shell>`, `[repos...]`. */
  syntax: string;
  description?: string;
  choices?: readonly string[];
  /** What shell completion offers when the values are the team repo's: its skills' names. */
  completes?: 'skills';
}

export interface CommandContext<F> {
  base: BaseOptions;
  out: Output;
  flags: F & GlobalFlags;
  args: string[];
  /** The whole program: what `completion` walks. Absent where commander never ran (cli-fast.ts). */
  program?: Command;
}

/**
 * A command as data: name, arguments, flags, help examples, and what it runs (a lazy import of
 * the command, so `spine doctor` never loads the exporter). `src/cli.ts` lists them.
 */
export interface CommandDefinition<F = Record<string, unknown>> {
  name: string;
  description: string;
  arguments?: ArgumentDefinition[];
  flags?: FlagDefinition[];
  examples?: string[];
  run?: (context: CommandContext<F>) => Promise<void>;
  subcommands?: CommandDefinition<any>[];
  /** Flags after a subcommand belong to it (`rollout status --from-file x`). */
  positionalOptions?: boolean;
  /** Without the global flags (--cwd, --json, …): groups and `completion`. Default: with them when it runs. */
  globals?: boolean;
}

/** Identity with the flags' type checked against the run function: one line per command file. */
export function defineCommand<F>(definition: CommandDefinition<F>): CommandDefinition<F> {
  return definition;
}

export const GLOBAL_FLAGS: FlagDefinition[] = [
  { flags: '--cwd <dir>', description: 'run as if started in <dir>' },
  { flags: '--json', description: 'machine-readable output on stdout' },
  { flags: '--no-color', description: 'no colours in output' },
  { flags: '--debug', description: 'show stack traces for internal errors' },
  { flags: '-q, --quiet', description: 'print nothing on success (errors and --json output still appear)' },
];

/** Runs a command with its parsed flags: the global flags become the injected base options. */
export async function runCommand<F>(
  run: NonNullable<CommandDefinition<F>['run']>,
  flags: F & GlobalFlags,
  args: string[],
  program?: Command,
): Promise<void> {
  const base = baseOptions(flags);
  checkCwd(flags.cwd, base.cwd);
  const out = createOutput({ json: base.json, color: base.color, quiet: Boolean(flags.quiet) });
  await run({ base, out, flags, args, ...(program ? { program } : {}) });
}

/** Flags every command shares → the injected base options. Exported for the argv table test. */
export function baseOptions(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv = process.env,
  // isatty, not process.stdin.isTTY: the getter builds a stream for standard input (for a file or
  // /dev/null, node's fs streams, fs/promises and readline: ~3 ms of start-up) that no command
  // reading only its flags needs.
  isTTY = isatty(0),
  isOutputTTY = Boolean(process.stdout.isTTY),
): BaseOptions {
  const cacheRoot = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  // XDG: a relative XDG_STATE_HOME is invalid and ignored.
  const stateRoot = isAbsolute(env.XDG_STATE_HOME ?? '')
    ? env.XDG_STATE_HOME!
    : join(env.HOME || homedir(), '.local', 'state');
  return {
    cwd: resolve(process.cwd(), flags.cwd ?? '.'),
    json: Boolean(flags.json),
    // Colour for people at a terminal (or when forced), never in pipes, logs or --json.
    color:
      flags.color !== false &&
      !env.NO_COLOR &&
      !flags.json &&
      (isOutputTTY || (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0')),
    interactive: isTTY && !flags.yes && !env.CI,
    env: { ...env },
    cacheDir: join(cacheRoot, 'spine'),
    stateDir: join(stateRoot, 'spine'),
    debug: Boolean(flags.debug),
  };
}

/** `--cwd` must name a directory: said once here, before any command reads from it. */
function checkCwd(given: string | undefined, cwd: string): void {
  if (given === undefined) return;
  if (given === '') throw new UserError('--cwd needs a directory');
  assertCwd(cwd);
}

/** A positional path given as "" would silently mean the current directory: refuse it. */
export function nonEmpty(value: string | undefined, what: string): string | undefined {
  if (value === '') throw new UserError(`${what} is empty: give a path, or leave it out`);
  return value;
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1)
    throw new UserError(`${flag} must be a whole number of at least 1, not "${value}"`);
  return Number(value);
}
