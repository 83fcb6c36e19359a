import { Command } from 'commander';
import { addCommand, type CommandDefinition } from './cli-define.js';
import { addHelp } from './cli-help.js';
import { auditCommand } from './commands/audit/command.js';
import { completionCommand } from './commands/completion/command.js';
import { contributeCommand } from './commands/contribute/command.js';
import { docsCommand } from './commands/docs/command.js';
import { doctorCommand } from './commands/doctor/command.js';
import { exportCommand } from './commands/export/command.js';
import { extractCommand } from './commands/extract/command.js';
import { factsCommand } from './commands/facts/command.js';
import { initCommand } from './commands/init/command.js';
import { newCommand } from './commands/new/command.js';
import { removeCommand } from './commands/remove/command.js';
import { reportCommand } from './commands/report/command.js';
import { resolveCommand } from './commands/resolve/command.js';
import { rolloutCommand } from './commands/rollout/command.js';
import { skillCommand } from './commands/skill-new/command.js';
import { updateCommand } from './commands/update/command.js';
import { validateCommand } from './commands/validate/command.js';
import { toolVersion } from './io/package-files.js';

export { baseOptions } from './cli-define.js';

/**
 * Every command, in the order `spine --help` lists them. Each definition lives beside its command
 * (`src/commands/<cmd>/command.ts`): flags, options type, examples, and a lazy import of the code.
 */
export const COMMANDS: CommandDefinition<any>[] = [
  initCommand,
  doctorCommand,
  factsCommand,
  reportCommand,
  validateCommand,
  newCommand,
  extractCommand,
  contributeCommand,
  updateCommand,
  resolveCommand,
  auditCommand,
  skillCommand,
  rolloutCommand,
  removeCommand,
  exportCommand,
  docsCommand,
  completionCommand,
];

export function buildProgram(): Command {
  const program = new Command('spine')
    .description('A thin shared spine for Claude Code: inherited guardrails, shared skills, a glossary.')
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    // Flags after a subcommand belong to it (`rollout status --from-file x`, not rollout's).
    .enablePositionalOptions()
    .showHelpAfterError('(run spine --help for usage)');
  for (const definition of COMMANDS) addCommand(program, definition, program);
  addHelp(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv, { from: 'user' });
}
