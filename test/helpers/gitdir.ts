import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp directory removed after the test file. */
export function tempDir(prefix = 'spine-test-', parent = tmpdir()): string {
  const dir = realpathSync(mkdtempSync(join(parent, prefix)));
  made.push(dir);
  return dir;
}

/**
 * A temp directory under /var/tmp, removed after the test file: for a repository or home a
 * sandboxed session must not be able to write, as /tmp is writable inside the client's sandbox.
 */
export function varTmp(prefix: string): string {
  return tempDir(prefix, '/var/tmp');
}

export type Tree = Record<string, string | Buffer>;

export function writeTree(root: string, files: Tree): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Git with a fixed identity, no signing, no user config: the same everywhere. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    },
  }).trimEnd();
}

/** A real git repo on branch main with the given files committed (if any). */
export function gitdir(files: Tree = {}, prefix?: string): string {
  const dir = tempDir(prefix);
  writeTree(dir, files);
  return initRepo(dir, Object.keys(files).length > 0);
}

/** Makes `dir` a git repo on branch main (local identity, no signing), its files committed if `commit`. */
export function initRepo(dir: string, commit = true): string {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  if (commit) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'initial');
  }
  return dir;
}

/** Every file under a directory (except .git) with its bytes: to assert "nothing changed". */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      if (name === '.git') continue;
      const abs = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      let isDir: boolean;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        out[r] = `dangling link to ${readlinkSync(abs)}`;
        continue;
      }
      if (isDir) walk(abs, r);
      else out[r] = readFileSync(abs).toString('base64');
    }
  };
  walk(root, '');
  return out;
}

export function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}
