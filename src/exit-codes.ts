import { ExitError, environmentFault, formatUserError, type Location, UserError } from './errors.js';

/**
 * The one place that turns errors into exit codes: 2 for bad input, 1 for failed checks, 70 for
 * a fault of spine. `run` is the command; its error ends the process with the code it calls for.
 * Shared by main.ts and the CommonJS doctor path (doctor-main.ts), which each carry a copy: the
 * process's handlers are installed once, whichever copy comes first.
 */
export async function guarded(argv: string[], run: () => Promise<void>): Promise<void> {
  const debug = argv.includes('--debug');
  const installed = Symbol.for('spine.processHandlers');
  const flags = process as unknown as Record<symbol, boolean>;
  if (!flags[installed]) {
    flags[installed] = true;
    endQuietlyOnClosedPipe();
    // Ctrl-C: the conventional 128 + SIGINT, without a stack trace.
    process.once('SIGINT', () => process.exit(130));
  }
  try {
    await run();
  } catch (error) {
    process.exitCode = exitCodeFor(error, debug, argv.includes('--json'));
  }
}

function exitCodeFor(error: unknown, debug: boolean, json: boolean): number {
  if (error instanceof ExitError) return error.code;
  if (error instanceof UserError) {
    if (json) writeJsonError('bad-input', error.message, error.location);
    process.stderr.write(`spine: ${formatUserError(error)}\n`);
    for (const detail of error.details) process.stderr.write(`  ${detail}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
  const fault = environmentFault(error);
  if (fault) {
    if (json) writeJsonError('environment', fault);
    process.stderr.write(`spine: ${fault}\n`);
    if (debug) process.stderr.write(`${(error as Error).stack}\n`);
    return 2;
  }
  const commanderCode = (error as { code?: string }).code;
  if (typeof commanderCode === 'string' && commanderCode.startsWith('commander.')) {
    // commander has printed its message already.
    const done = commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version';
    if (json && !done) writeJsonError('usage', (error as Error).message.replace(/^error: /, ''));
    return commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' ? 0 : 2;
  }
  if (json) writeJsonError('internal', (error as Error)?.message ?? String(error));
  process.stderr.write(`spine: internal error: ${(error as Error)?.message ?? String(error)}\n`);
  process.stderr.write(debug ? `${(error as Error)?.stack}\n` : '  (run with --debug for the stack trace)\n');
  return 70;
}

/** With --json an error is also a document on stdout, so a pipeline reads why it failed. */
function writeJsonError(code: string, message: string, location?: Location): void {
  const error = {
    code,
    message,
    file: location?.file ?? null,
    line: location?.line ?? null,
    column: location?.column ?? null,
  };
  process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
}

/** `spine doctor | head -1`: the reader left, so there is nobody to tell; end without a trace. */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}
