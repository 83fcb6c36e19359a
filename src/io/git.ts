import { spawn } from 'node:child_process';
import { UserError } from '../errors.js';

/**
 * A git that could not be started at all (no git on PATH) is said so: every other failure of
 * `rev-parse` reads as "not a git repository", which sends a person looking in the wrong place.
 */
export function throwIfGitMissing(result: { exitCode?: number; code?: string }): void {
  if (result.exitCode === undefined && (result.code === 'ENOENT' || result.code === 'EACCES'))
    throw new UserError(
      'git is missing: spine runs git, and no git program was found on PATH (install git and retry)',
    );
}

/** Runs git and returns trimmed stdout; throws with git's own message on failure. */
export async function git(cwd: string, args: string[], input?: string): Promise<string> {
  const result = await runGit(cwd, args, input);
  throwIfGitMissing(result);
  if (result.exitCode !== 0) {
    const message = (result.stderr || result.stdout).trim().split('\n')[0] ?? `git ${args[0]} failed`;
    throw new GitError(message, args, result.exitCode ?? -1);
  }
  return result.stdout.trimEnd();
}

interface GitResult {
  exitCode?: number;
  code?: string;
  stdout: string;
  stderr: string;
}

function runGit(cwd: string, args: string[], input?: string): Promise<GitResult> {
  return spawnGit(args, { cwd, ...(input === undefined ? {} : { input }) }).then((run) => ({
    ...(run.exitCode === undefined ? {} : { exitCode: run.exitCode }),
    ...(run.code === undefined ? {} : { code: run.code }),
    stdout: run.stdout.toString('utf8'),
    stderr: run.stderr.toString('utf8'),
  }));
}

export interface SpawnGitOptions {
  cwd?: string;
  input?: Buffer | string;
  /** Added to the environment git inherits. */
  env?: Record<string, string>;
  /** Stopped (SIGTERM) after this long; `timedOut` says so. */
  timeoutMs?: number;
}

export interface SpawnedGit {
  /** Undefined when git could not be started (then `code` says why) or was stopped by a signal. */
  exitCode?: number;
  code?: string;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
}

/**
 * Spawns git directly: every command runs git on its way (doctor several times, reading a git
 * spine a few more), and a process library costs more to load than the git calls it would run
 * (execa and its dependencies were a tenth of a doctor on a git spine). Never rejects.
 */
export function spawnGit(args: string[], options: SpawnGitOptions = {}): Promise<SpawnedGit> {
  const { cwd, input, env, timeoutMs } = options;
  return new Promise((resolve) => {
    const child = spawn('git', args, {
      ...(cwd === undefined ? {} : { cwd }),
      ...(env ? { env: { ...process.env, ...env } } : {}),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
          }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({
        ...(error.code === undefined ? {} : { code: error.code }),
        stdout: Buffer.concat(stdout),
        stderr: Buffer.from(error.message, 'utf8'),
        timedOut,
      });
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({
        ...(exitCode === null ? {} : { exitCode }),
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr),
        timedOut,
      });
    });
    if (input !== undefined) {
      // git may end before reading all of its input (a failed command): that is its answer, not ours.
      child.stdin?.on('error', () => {});
      child.stdin?.end(input);
    }
  });
}

export class GitError extends Error {
  readonly args: string[];
  readonly exitCode: number;

  constructor(message: string, args: string[], exitCode: number) {
    super(message);
    this.name = 'GitError';
    this.args = args;
    this.exitCode = exitCode;
  }
}

/** The repository's top directory, or undefined when `cwd` is not inside a git work tree. */
export async function gitTopLevel(cwd: string): Promise<string | undefined> {
  try {
    return await git(cwd, ['rev-parse', '--show-toplevel']);
  } catch (error) {
    if (error instanceof UserError) throw error;
    return undefined;
  }
}

export async function gitConfig(cwd: string, key: string): Promise<string | undefined> {
  try {
    return (await git(cwd, ['config', '--get', key])) || undefined;
  } catch (error) {
    if (error instanceof UserError) throw error;
    return undefined;
  }
}
