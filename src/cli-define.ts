import { Argument, type Command, Option } from 'commander';
import {
  type CommandDefinition,
  type FlagDefinition,
  GLOBAL_FLAGS,
  type GlobalFlags,
  runCommand,
} from './cli-command.js';

// Definitions are written against cli-command.ts, which never loads commander; re-exported here
// for the command files that import them from this file.
export {
  type ArgumentDefinition,
  baseOptions,
  type CommandContext,
  type CommandDefinition,
  defineCommand,
  type FlagDefinition,
  GLOBAL_FLAGS,
  type GlobalFlags,
  nonEmpty,
  positiveInt,
} from './cli-command.js';

/** A definition → a commander command attached to `parent`, with its subcommands. */
export function addCommand(parent: Command, definition: CommandDefinition<any>, program: Command): Command {
  const command = parent.command(definition.name).description(definition.description);
  for (const arg of definition.arguments ?? []) {
    const argument = new Argument(arg.syntax, arg.description);
    if (arg.completes) Object.assign(argument, { completes: arg.completes });
    command.addArgument(arg.choices ? argument.choices(arg.choices) : argument);
  }
  const withGlobals = definition.globals ?? Boolean(definition.run);
  for (const flag of [...(withGlobals ? GLOBAL_FLAGS : []), ...(definition.flags ?? [])]) {
    command.addOption(toOption(flag));
  }
  if (definition.positionalOptions) command.enablePositionalOptions();
  if (definition.examples?.length) {
    command.addHelpText('after', `\nExamples:\n${definition.examples.map((e) => `  $ ${e}`).join('\n')}`);
  }
  const run = definition.run;
  if (run) command.action((...params: unknown[]) => runAction(params, run, program));
  for (const sub of definition.subcommands ?? []) addCommand(command, sub, program);
  return command;
}

function toOption(flag: FlagDefinition): Option {
  const option = new Option(flag.flags, flag.description);
  if (flag.choices) option.choices(flag.choices);
  if (flag.required) option.makeOptionMandatory();
  return option;
}

function runAction(
  params: unknown[],
  run: NonNullable<CommandDefinition<any>['run']>,
  program: Command,
): Promise<void> {
  const command = params[params.length - 1] as Command;
  return runCommand(run, command.opts() as GlobalFlags, command.args, program);
}
