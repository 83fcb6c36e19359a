import { UserError } from '../../errors.js';
import { spawnGit, throwIfGitMissing } from '../../io/git.js';

/** Git never prompts: a missing credential is an error, not a hang. */
const GIT_ENV = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
  GCM_INTERACTIVE: 'never',
};

/**
 * A server that accepts the connection and never answers must not hang `init` for ever: HTTP(S)
 * transfers slower than 1 KB/s for 30 s are given up (git's read timeout; the
 * GIT_HTTP_LOW_SPEED_* variables still override it), connecting is bounded by curl's own limit,
 * and no git run for a spine (ssh included) lasts longer than ten minutes in all.
 */
const TIMEOUTS = ['-c', 'http.lowSpeedLimit=1000', '-c', 'http.lowSpeedTime=30'];
const HARD_LIMIT_MS = 10 * 60_000;
/**
 * Reading a spine never runs code from the repository read: a hook or fsmonitor command named in
 * a cached clone's config (which spine does not write, and which the sandbox keeps the agent out
 * of: docs/sandbox.md) is ignored, whoever put it there.
 */
const NO_REPO_CODE = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];

export interface GitRun {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

/** Runs git in a git dir (`--git-dir`, so a work tree is never read); never throws on exit code. */
export async function runGit(
  gitDir: string | undefined,
  args: string[],
  input?: Buffer | string,
): Promise<GitRun> {
  const full = [...TIMEOUTS, ...NO_REPO_CODE, ...(gitDir ? ['--git-dir', gitDir, ...args] : args)];
  const result = await spawnGit(full, {
    env: GIT_ENV,
    timeoutMs: HARD_LIMIT_MS,
    ...(input === undefined ? {} : { input }),
  });
  throwIfGitMissing(result);
  return {
    stdout: result.stdout,
    stderr: result.timedOut
      ? `fatal: no answer within ${HARD_LIMIT_MS / 60_000} minutes (timed out)`
      : result.stderr.toString('utf8'),
    exitCode: result.exitCode ?? -1,
  };
}

/** Like runGit, but stdout as trimmed text and a failure as an Error carrying git's message. */
export async function gitText(gitDir: string | undefined, args: string[]): Promise<string> {
  const result = await runGit(gitDir, args);
  if (result.exitCode !== 0) throw new Error(firstLine(result.stderr) || `git ${args[0]} failed`);
  return result.stdout.toString('utf8').trimEnd();
}

/** Turns a failed clone/fetch into the one-line error a user can act on. */
export function remoteError(url: string, stderr: string): UserError {
  const detail = meaningfulLine(stderr);
  if (
    /authentication failed|could not read (username|password)|terminal prompts disabled|permission denied \(publickey|returned error: 40[13]|invalid credentials|host key verification failed/i.test(
      stderr,
    )
  ) {
    return new UserError(
      'authentication failed: give git a credential (a credential helper, a token or an ssh key) and retry',
      { file: url },
      [detail],
    );
  }
  if (/operation too slow|timed out|connection timed out/i.test(stderr))
    return new UserError(`the spine repository did not answer in time: ${detail}`, { file: url });
  return new UserError(`cannot reach the spine repository: ${detail}`, { file: url });
}

function meaningfulLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^(fatal|error|remote):\s*/i, '').trim())
    .filter((l) => l && !/^cloning into/i.test(l));
  return lines[0] ?? 'git failed';
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
