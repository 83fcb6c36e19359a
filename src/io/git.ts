import { execa } from 'execa';

/** Runs git and returns trimmed stdout; throws with git's own message on failure. */
export async function git(cwd: string, args: string[], input?: string): Promise<string> {
  const result = await execa('git', args, { cwd, input, reject: false, stripFinalNewline: false });
  if (result.exitCode !== 0) {
    const message = (result.stderr || result.stdout).trim().split('\n')[0] ?? `git ${args[0]} failed`;
    throw new GitError(message, args, result.exitCode ?? -1);
  }
  return result.stdout.trimEnd();
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
  } catch {
    return undefined;
  }
}

export async function gitConfig(cwd: string, key: string): Promise<string | undefined> {
  try {
    return (await git(cwd, ['config', '--get', key])) || undefined;
  } catch {
    return undefined;
  }
}
