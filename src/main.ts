import { ExitError, environmentFault, formatUserError, UserError } from './errors.js';

/** The one place that turns errors into exit codes: 2 for bad input, 1 for failed checks. */
export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  try {
    const { runCli } = await import('./cli.js');
    await runCli(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error, debug);
  }
}

function exitCodeFor(error: unknown, debug: boolean): number {
  if (error instanceof ExitError) return error.code;
  if (error instanceof UserError) {
    process.stderr.write(`spine: ${formatUserError(error)}\n`);
    for (const detail of error.details) process.stderr.write(`  ${detail}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
  const fault = environmentFault(error);
  if (fault) {
    process.stderr.write(`spine: ${fault}\n`);
    if (debug) process.stderr.write(`${(error as Error).stack}\n`);
    return 2;
  }
  const commanderCode = (error as { code?: string }).code;
  if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
    // commander has printed its message already.
    return commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' ? 0 : 2;
  }
  process.stderr.write(`spine: internal error: ${(error as Error)?.message ?? String(error)}\n`);
  process.stderr.write(debug ? `${(error as Error)?.stack}\n` : '  (run with --debug for the stack trace)\n');
  return 70;
}
