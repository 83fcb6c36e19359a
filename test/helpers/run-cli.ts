import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { delimiter, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/spine.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EMBEDDED_SPINE = fileURLToPath(new URL('../../spine/', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The PATH the CLI runs with unless a test sets one: without entries under the temp directories.
 * A suite run from a checkout there has its node_modules/.bin on PATH (npm test puts it there),
 * which the sandbox lets the agent write, and doctor rightly reports it (sandbox-writes-path) in
 * every test repo; the tests of that finding pass their own PATH.
 */
export const TEST_PATH = (process.env.PATH ?? '')
  .split(delimiter)
  .filter(
    (dir) =>
      ![tmpdir(), '/tmp'].some((t) => `${resolvePath(dir)}${sep}`.startsWith(`${resolvePath(t)}${sep}`)),
  )
  .join(delimiter);

/** Runs the built CLI as a user would (no TTY, CI set, no colour), in `cwd`. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; input?: string },
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, PATH: TEST_PATH, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
