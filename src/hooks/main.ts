import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { handleEvent } from './run-hook.js';
import type { HookPayload, HookPolicy } from './types.js';

/**
 * The hook entry point Claude Code runs for every event (see settings-entries.ts for how it is
 * wired). Reads the event on stdin and the policy beside this file; everything is synchronous so
 * the process starts, answers and exits with no event-loop turns. Exit code is always 0: a deny
 * is a JSON answer on stdout, and a failure is a line on stderr that never blocks the agent.
 */
function warn(message: string): void {
  process.stderr.write(`${message}\n`);
}

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (error) {
    // No stdin at all (a closed descriptor): an empty event.
    if ((error as NodeJS.ErrnoException).code === 'EAGAIN') throw error;
    return '';
  }
}

function run(): void {
  let payload: HookPayload;
  let policy: HookPolicy;
  try {
    payload = JSON.parse(readStdin() || '{}') as HookPayload;
  } catch (error) {
    warn(`spine: the hook could not read the event JSON on stdin: ${(error as Error).message}`);
    return;
  }
  try {
    policy = JSON.parse(readFileSync(new URL('./spine-policy.json', import.meta.url), 'utf8')) as HookPolicy;
  } catch (error) {
    warn(
      `spine: the hook could not read spine-policy.json beside it (run spine doctor --fix): ${(error as Error).message}`,
    );
    return;
  }
  const env = process.env;
  const projectDir =
    env.CLAUDE_PROJECT_DIR || (typeof payload.cwd === 'string' && payload.cwd) || process.cwd();
  const result = handleEvent(
    payload,
    policy,
    {
      projectDir,
      cwd: (typeof payload.cwd === 'string' && payload.cwd) || projectDir,
      home: env.HOME || homedir(),
      now: new Date(),
    },
    warn,
  );
  if (result.stdout) process.stdout.write(`${result.stdout}\n`);
}

// Claude Code kills async hooks still running when a session ends. The work here is synchronous,
// so a handled signal waits until the record is written and is then dropped: a kill can no
// longer cut a record off half-way once the hook has started.
const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
const ignore = () => {};
for (const signal of SIGNALS) process.on(signal, ignore);
try {
  run();
} catch (error) {
  warn(`spine: internal error in the hook (the call proceeds): ${(error as Error).message}`);
}
for (const signal of SIGNALS) process.off(signal, ignore);
process.exitCode = 0;
