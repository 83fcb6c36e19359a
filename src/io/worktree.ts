import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.js';
import { throwIfGitMissing } from './git.js';
import { nonInteractiveGitEnv } from './git-env.js';

type Env = Record<string, string | undefined>;

/**
 * No code from the cached clone runs: its config could name hooks (post-checkout at `worktree
 * add`, pre-push, reference-transaction) or an fsmonitor command, which git would run as the
 * person, outside any sandbox. Contributions commit with --no-verify anyway.
 */
const NO_REPO_CODE = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];

export interface GitContext {
  /** The cached clone (a bare mirror) every command runs against. */
  gitDir: string;
  env: Env;
}

async function run(
  ctx: GitContext,
  args: string[],
  options: { cwd?: string; input?: string; env?: Env } = {},
) {
  const full = [...NO_REPO_CODE, ...(options.cwd ? args : ['--git-dir', ctx.gitDir, ...args])];
  const result = await execa('git', full, {
    cwd: options.cwd,
    input: options.input,
    env: { ...nonInteractiveGitEnv(ctx.env), ...options.env },
    extendEnv: false,
    reject: false,
  });
  throwIfGitMissing(result);
  return { stdout: String(result.stdout).trim(), stderr: String(result.stderr), ok: result.exitCode === 0 };
}

async function must(
  ctx: GitContext,
  args: string[],
  options: { cwd?: string; input?: string; env?: Env } = {},
) {
  const result = await run(ctx, args, options);
  if (!result.ok) throw new Error(`git ${args[0]}: ${lastLine(result.stderr)}`);
  return result.stdout;
}

/** The spine's default branch (the mirror's HEAD) and the commit it points at. */
export async function defaultBranch(ctx: GitContext): Promise<{ branch: string; commit: string }> {
  const ref = await run(ctx, ['symbolic-ref', 'HEAD']);
  const branch = ref.ok ? ref.stdout.replace(/^refs\/heads\//, '') : 'main';
  return { branch, commit: await branchCommit(ctx, branch) };
}

export async function branchCommit(ctx: GitContext, branch: string): Promise<string> {
  const commit = await run(ctx, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  if (!commit.ok || !commit.stdout) {
    throw new UserError(`the spine has no branch "${branch}" (or no commit on it)`, { file: ctx.gitDir });
  }
  return commit.stdout;
}

export interface Worktree {
  dir: string;
  /** Replaces skills/<name>/ with exactly these files and stages the change. */
  stage(prefix: string, files: { path: string; content: Buffer; executable?: boolean }[]): Promise<void>;
  /** The staged change as a patch and as name-status lines (`A\tskills/x/SKILL.md`). */
  diff(): Promise<{ patch: string; files: string[] }>;
  commit(message: string, identity: Identity): Promise<string>;
  remove(): Promise<void>;
}

export interface Identity {
  name: string;
  email: string;
}

/**
 * A temporary, detached work tree of the cached clone at `commit`: contributions are built here,
 * never in the team's repository, whose working tree and HEAD stay as they were.
 */
export async function openWorktree(ctx: GitContext, commit: string): Promise<Worktree> {
  const parent = mkdtempSync(join(tmpdir(), 'spine-contribute-'));
  const dir = join(parent, 'spine');
  try {
    await must(ctx, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw error;
  }
  const inTree = { cwd: dir };
  let removed = false;
  return {
    dir,
    async stage(prefix, files) {
      rmSync(join(dir, prefix), { recursive: true, force: true });
      for (const file of files) {
        const abs = join(dir, prefix, file.path);
        mkdirSync(dirname(abs), { recursive: true });
        // git records 100755 for a file with an x bit: a script stays executable upstream.
        writeFileSync(abs, file.content, { mode: file.executable ? 0o755 : 0o644 });
      }
      await must(ctx, ['add', '--all', '--', prefix], inTree);
    },
    async diff() {
      const patch = await must(
        ctx,
        ['diff', '--cached', '--no-color', '--no-ext-diff', '--no-renames'],
        inTree,
      );
      const names = await must(ctx, ['diff', '--cached', '--name-status', '--no-renames'], inTree);
      return { patch, files: names ? names.split('\n') : [] };
    },
    async commit(message, identity) {
      const who = {
        GIT_AUTHOR_NAME: identity.name,
        GIT_AUTHOR_EMAIL: identity.email,
        GIT_COMMITTER_NAME: identity.name,
        GIT_COMMITTER_EMAIL: identity.email,
      };
      await must(ctx, ['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '--file', '-'], {
        ...inTree,
        input: message,
        env: who,
      });
      return must(ctx, ['rev-parse', 'HEAD'], inTree);
    },
    async remove() {
      if (removed) return;
      removed = true;
      await run(ctx, ['worktree', 'remove', '--force', dir]);
      rmSync(parent, { recursive: true, force: true });
      await run(ctx, ['worktree', 'prune']);
    },
  };
}

/** The commit a branch points at in a remote, or undefined when the branch does not exist there. */
export async function remoteBranchCommit(
  ctx: GitContext,
  url: string,
  branch: string,
): Promise<string | undefined> {
  const result = await run(ctx, ['ls-remote', '--heads', url, `refs/heads/${branch}`]);
  if (!result.ok) throw pushError(url, result.stderr, 'read');
  return result.stdout.split('\t')[0] || undefined;
}

/** The tree and first parent of a commit, when the cache has it (to skip a push that changes nothing). */
export async function commitShape(
  ctx: GitContext,
  commit: string,
): Promise<{ tree: string; parent: string } | undefined> {
  const result = await run(ctx, ['show', '-s', '--format=%T %P', commit]);
  if (!result.ok) return undefined;
  const [tree, parent] = result.stdout.split(' ');
  return tree && parent ? { tree, parent } : undefined;
}

/** A commit's full message, when the cache has the commit. */
export async function commitMessage(ctx: GitContext, commit: string): Promise<string | undefined> {
  const result = await run(ctx, ['show', '-s', '--format=%B', commit]);
  return result.ok ? result.stdout : undefined;
}

/**
 * Points `branch` in the remote at `commit`, but only if it still is where we saw it
 * (`expected`; undefined: it must not exist yet), so a concurrent push is never overwritten.
 */
export async function pushBranch(
  ctx: GitContext,
  url: string,
  commit: string,
  branch: string,
  expected: string | undefined,
): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const result = await run(ctx, [
    'push',
    '--quiet',
    '--no-verify',
    `--force-with-lease=${ref}:${expected ?? ''}`,
    url,
    `${commit}:${ref}`,
  ]);
  if (!result.ok) throw pushError(url, result.stderr, 'push');
}

/** Removes a branch we created, if it still points at our commit. Best effort: returns success. */
export async function deleteRemoteBranch(ctx: GitContext, url: string, branch: string, commit: string) {
  const ref = `refs/heads/${branch}`;
  const result = await run(ctx, [
    'push',
    '--quiet',
    '--no-verify',
    `--force-with-lease=${ref}:${commit}`,
    url,
    `:${ref}`,
  ]);
  return result.ok;
}

function pushError(url: string, stderr: string, what: 'push' | 'read'): UserError {
  const detail = lastLine(stderr);
  if (/stale info|fetch first|non-fast-forward/i.test(stderr)) {
    return new UserError(
      `push to ${url} was rejected: the branch changed in the remote since it was read; run contribute again`,
      { file: url },
      [detail],
    );
  }
  if (
    /authentication failed|could not read (username|password)|terminal prompts disabled|permission denied|returned error: 40[13]/i.test(
      stderr,
    )
  ) {
    return new UserError(
      `${what === 'push' ? 'push to' : 'cannot read'} ${url}: authentication failed; give git a credential with write access (or set "fork" in .spine/local.yaml) and retry`,
      { file: url },
      [detail],
    );
  }
  return what === 'push'
    ? new UserError(`push to ${url} was rejected: ${detail}`, { file: url })
    : new UserError(`cannot reach ${url}: ${detail}`, { file: url });
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^(fatal|error|remote):\s*/i, '').trim())
    .filter((l) => l && !/^to /i.test(l) && !/^hint:/i.test(l));
  return lines.find((l) => /\[(remote )?rejected\]|declined|denied/i.test(l)) ?? lines[0] ?? 'git failed';
}
