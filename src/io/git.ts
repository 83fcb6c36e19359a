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

/**
 * Spawns git directly: this runs on every command's start (doctor runs it several times), and a
 * process library costs more to load than the few git calls it would run.
 */
function runGit(cwd: string, args: string[], input?: string): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn('git', args, {
      cwd,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf8');
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ code: error.code, stdout: text(stdout), stderr: error.message }),
    );
    child.once('close', (exitCode) =>
      resolve({ exitCode: exitCode ?? -1, stdout: text(stdout), stderr: text(stderr) }),
    );
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
