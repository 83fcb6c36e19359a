import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { throwIfGitMissing } from './git.js';
import { nonInteractiveGitEnv } from './git-env.js';

type Env = Record<string, string | undefined>;

/** Git that never prompts, ignores an inherited GIT_DIR, and runs no hook of the cloned repo. */
function gitEnv(env: Env): Env {
  return {
    ...nonInteractiveGitEnv(env),
    GIT_SSH_COMMAND: env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes -o ConnectTimeout=20',
  };
}

export interface RepoClone {
  dir: string;
  /** The branch the clone checked out: the repository's default branch. */
  branch: string;
  remove(): void;
}

export class CloneError extends Error {}

async function run(cwd: string | undefined, args: string[], env: Env) {
  const result = await execa('git', args, {
    cwd,
    env: gitEnv(env),
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
  throwIfGitMissing(result);
  return {
    ok: result.exitCode === 0,
    stdout: String(result.stdout).trim(),
    stderr: String(result.stderr).trim(),
  };
}

/** The line of git's stderr that says what failed: its first fatal/error line, else its last line. */
function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() && !/^hint:/.test(l));
  const cause = lines.find((l) => /^(fatal|error): /.test(l)) ?? lines[lines.length - 1];
  return (cause ?? 'git failed').replace(/^(fatal|error): /, '');
}

/**
 * A fresh clone of a team repository's default branch in a temporary directory: the rollout
 * reads and changes the committed state, never someone's working copy.
 */
export async function cloneRepo(source: string, env: Env): Promise<RepoClone> {
  const parent = mkdtempSync(join(tmpdir(), 'spine-rollout-'));
  const dir = join(parent, 'repo');
  const remove = () => rmSync(parent, { recursive: true, force: true });
  const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^[^@/\s]+@[^:/\s]+:/.test(source);
  const clone = await run(
    undefined,
    ['clone', '--quiet', ...(remote ? ['--depth', '1'] : []), '--', source, dir],
    env,
  );
  if (!clone.ok) {
    remove();
    throw new CloneError(lastLine(clone.stderr));
  }
  const head = await run(dir, ['symbolic-ref', '--short', '-q', 'HEAD'], env);
  return { dir, branch: head.stdout || 'main', remove };
}

/** Commits everything the update wrote (ignored update records too, when asked) as spine. */
export async function commitAll(
  dir: string,
  message: string,
  env: Env,
  forceAdd: string[] = [],
): Promise<string> {
  const identity = {
    GIT_AUTHOR_NAME: env.GIT_AUTHOR_NAME ?? 'spine rollout',
    GIT_AUTHOR_EMAIL: env.GIT_AUTHOR_EMAIL ?? 'spine-rollout@localhost',
    GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME ?? 'spine rollout',
    GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL ?? 'spine-rollout@localhost',
  };
  const steps = [['add', '--all'], ...(forceAdd.length ? [['add', '--force', '--', ...forceAdd]] : [])];
  for (const args of steps) {
    const step = await run(dir, args, env);
    if (!step.ok) throw new CloneError(lastLine(step.stderr));
  }
  const commit = await run(dir, ['commit', '--quiet', '--no-verify', '-m', message], { ...env, ...identity });
  if (!commit.ok) throw new CloneError(lastLine(commit.stderr || commit.stdout));
  return (await run(dir, ['rev-parse', 'HEAD'], env)).stdout;
}

/** The commit a branch of the remote points at, fetched into the clone; undefined when absent. */
export async function fetchBranch(dir: string, branch: string, env: Env): Promise<string | undefined> {
  const fetched = await run(
    dir,
    ['fetch', '--quiet', 'origin', `+refs/heads/${branch}:refs/spine/remote`],
    env,
  );
  if (!fetched.ok) return undefined;
  return (await run(dir, ['rev-parse', 'refs/spine/remote'], env)).stdout || undefined;
}

/** True when two commits hold the same tree: a rerun that would push the same content. */
export async function sameTree(dir: string, a: string, b: string, env: Env): Promise<boolean> {
  const [ta, tb] = await Promise.all([
    run(dir, ['rev-parse', `${a}^{tree}`], env),
    run(dir, ['rev-parse', `${b}^{tree}`], env),
  ]);
  return ta.ok && tb.ok && ta.stdout === tb.stdout;
}

/**
 * Pushes HEAD to a branch of the remote with a lease on what it held, so a person's commit on
 * the branch is never lost; never to the default branch (the caller names only spine/ branches).
 */
export async function pushHead(
  dir: string,
  branch: string,
  expected: string | undefined,
  env: Env,
): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const pushed = await run(
    dir,
    [
      'push',
      '--quiet',
      '--no-verify',
      `--force-with-lease=${ref}:${expected ?? ''}`,
      'origin',
      `HEAD:${ref}`,
    ],
    env,
  );
  if (!pushed.ok) throw new CloneError(lastLine(pushed.stderr));
}

/** The message of a commit, to tell spine's own commits from a person's. */
export async function commitMessageOf(dir: string, commit: string, env: Env): Promise<string> {
  return (await run(dir, ['log', '-1', '--format=%B', commit], env)).stdout;
}

/** The UTC date of the last commit on HEAD that changed a path, or undefined. */
export async function lastChanged(dir: string, path: string, env: Env): Promise<string | undefined> {
  const log = await run(dir, ['log', '-1', '--format=%cI', '--', path], env);
  return log.ok && log.stdout ? log.stdout : undefined;
}

/**
 * Whether a repository's default branch holds `path` (a lock: is it onboarded?), from a shallow
 * clone without a checkout or blobs; undefined when it cannot be cloned (the reason in `why`).
 */
export async function headHasPath(
  source: string,
  path: string,
  env: Env,
): Promise<{ has: boolean } | { why: string }> {
  const parent = mkdtempSync(join(tmpdir(), 'spine-peek-'));
  try {
    const dir = join(parent, 'repo');
    const clone = await run(
      undefined,
      ['clone', '--quiet', '--depth', '1', '--no-checkout', '--filter=blob:none', '--', source, dir],
      env,
    );
    if (!clone.ok) return { why: lastLine(clone.stderr) };
    const tree = await run(dir, ['ls-tree', '--name-only', 'HEAD', '--', path], env);
    return { has: tree.ok && tree.stdout === path };
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}
