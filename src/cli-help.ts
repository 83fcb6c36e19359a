import type { Command } from 'commander';

const ROOT_HELP = `
Global flags (every command):
  --cwd <dir>     run as if started in <dir>
  --json          one JSON document on stdout; an error is {"error": {code, message, file, line, column}}
  -q, --quiet     print nothing on success
  --no-color      no colours (also NO_COLOR)
  --debug         stack traces for internal errors

Exit codes:
  0    success
  1    the check found errors (drift that weakens a guardrail, conflicts, an invalid spine)
  2    bad usage or bad input: one line naming the file, nothing changed on disk
  70   internal error (run again with --debug)
  130  interrupted (Ctrl-C)

Run spine <command> --help for a command's flags and examples.`;

/** Adds the global flags and exit codes to the root help (examples come with each definition). */
export function addHelp(program: Command): void {
  program.addHelpText('after', ROOT_HELP);
}

/** One command of the tree completion walks: its path, flags and the values it knows. */
export interface CommandTreeEntry {
  path: string[];
  flags: string[];
  /** Flags whose values are known (`--ci` → `github`). */
  flagValues: Record<string, string[]>;
  /** Values its arguments take: fixed ones, or `skills` for the team repo's skill names. */
  argValues: string[];
  completesSkills: boolean;
}

/** Every command and sub-command path of the program, with its flags: what completion offers. */
export function commandTree(program: Command): CommandTreeEntry[] {
  const out: CommandTreeEntry[] = [];
  const visit = (command: Command, path: string[]) => {
    const flags = command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
    const flagValues: Record<string, string[]> = {};
    for (const o of command.options) {
      if (o.argChoices?.length && o.long) flagValues[o.long] = [...o.argChoices];
    }
    const args = command.registeredArguments;
    out.push({
      path,
      flags: [...flags, '--help'],
      flagValues,
      argValues: args.flatMap((a) => a.argChoices ?? []),
      completesSkills: args.some((a) => (a as { completes?: string }).completes === 'skills'),
    });
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  for (const sub of program.commands) visit(sub, [sub.name()]);
  return out;
}
