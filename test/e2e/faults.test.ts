import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hasStrace } from '../helpers/crash.js';
import { git, gitdir, read, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { BIN, type CliResult, runCli } from '../helpers/run-cli.js';

/**
 * Faults of the environment and hostile repos: each is exit 2 with one line naming the path,
 * the repo unchanged, and nothing outside it read into it or written (canaries compared).
 */
const INIT = ['init', '--team', 'payments', '--champion', '@a', '--yes'];
const CANARY = 'canary: a file outside the repository\n';

/** A directory outside the repo with a canary file in it (and one at `name` when given). */
function outside(name?: string): string {
  const dir = tempDir('spine-outside-');
  writeTree(dir, { 'canary.txt': CANARY, ...(name ? { [name]: CANARY } : {}) });
  return dir;
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    try {
      out[name] = read(dir, name);
    } catch {
      out[name] = '<dir>';
    }
  }
  return out;
}

function strace(inject: string, args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'strace',
      ['-qq', '-o', '/dev/null', '-e', `inject=${inject}`, process.execPath, BIN, ...args],
      { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 137) : 0, stdout, stderr }),
    );
  });
}

async function onboarded(): Promise<string> {
  const repo = gitdir({ 'README.md': '# app\n' });
  expect((await runCli(INIT, { cwd: repo })).code).toBe(0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'init');
  return repo;
}

interface Fault {
  name: string;
  /** Returns the repo and the directory outside it to watch. */
  setup: () => Promise<{ repo: string; out: string }>;
  run: (repo: string, out: string) => Promise<CliResult>;
  /** The one line, after "spine: ". */
  message: RegExp;
  strace?: boolean;
}

const linkOut =
  (link: string, init = true): Fault['setup'] =>
  async () => {
    const repo = init ? gitdir({ 'README.md': '# app\n' }) : await onboarded();
    const out = outside(link.endsWith('.json') || link.endsWith('.md') ? undefined : 'settings.json');
    const target = link.endsWith('.json') || link.endsWith('.md') ? join(out, 'canary.txt') : out;
    mkdirSync(join(repo, link, '..'), { recursive: true });
    symlinkSync(target, join(repo, link));
    return { repo, out };
  };

const plain =
  (setup?: (repo: string) => void, onboard = false): Fault['setup'] =>
  async () => {
    const repo = onboard ? await onboarded() : gitdir({ 'README.md': '# app\n' });
    setup?.(repo);
    return { repo, out: outside() };
  };

const FAULTS: Fault[] = [
  ...['.claude', '.claude/skills', '.claude/hooks', '.spine'].map(
    (link): Fault => ({
      name: `${link} is a symlink out of the repo`,
      setup: linkOut(link),
      run: (repo) => runCli(INIT, { cwd: repo }),
      message: new RegExp(
        `^${link.replace('.', '\\.')}: refusing to write through a symlink that leads out of the repository`,
      ),
    }),
  ),
  ...['CLAUDE.md', '.claude/settings.json'].map(
    (link): Fault => ({
      name: `${link} is a symlink to a file outside`,
      setup: linkOut(link),
      run: (repo) => runCli(INIT, { cwd: repo }),
      message: new RegExp(`^${link.replace(/\./g, '\\.')}: refusing to write through a symlink`),
    }),
  ),
  {
    name: 'the disk is full (ENOSPC)',
    setup: plain(),
    run: (repo) => strace('rename:error=ENOSPC', INIT, repo),
    message: /^\/.*: no space left on the device; free some space and run the command again$/,
    strace: true,
  },
  {
    name: 'the repository is read-only (EROFS)',
    setup: plain(),
    run: (repo) => strace('mkdir,rename,link:error=EROFS', INIT, repo),
    message: /^\/.*\.spine: the file system is read-only; run spine where the repository is writable$/,
    strace: true,
  },
  {
    name: 'permission denied (EACCES)',
    setup: plain(),
    run: (repo) => strace('mkdir,rename,link:error=EACCES', INIT, repo),
    message: /^\/.*: permission denied; check the owner and mode of the file and its directory$/,
    strace: true,
  },
  {
    name: 'a YAML alias bomb in local.yaml',
    setup: plain((repo) => {
      const lines = ['team: payments', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 9; i++)
        lines.push(
          `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
            .fill(`*${String.fromCharCode(96 + i)}`)
            .join(',')}]`,
        );
      writeTree(repo, { '.spine/local.yaml': `${lines.join('\n')}\n` });
    }),
    run: (repo) => runCli(INIT, { cwd: repo }),
    message: /^\.spine\/local\.yaml:1:1: too many YAML aliases/,
  },
  {
    name: 'a garbage update record',
    setup: plain(
      (repo) => writeTree(repo, { '.spine/update/journal.json': '{"journalVersion": 1, "ent' }),
      true,
    ),
    run: (repo) => runCli(['update', '--abort'], { cwd: repo }),
    message: /^\.spine\/update\/journal\.json: not an update record spine wrote/,
  },
  {
    name: 'a garbage transaction journal',
    setup: plain(
      (repo) => writeTree(repo, { '.spine/txn/.gitignore': '*\n', '.spine/txn/journal.json': '\0\0garbage' }),
      true,
    ),
    run: (repo) => runCli(['update'], { cwd: repo }),
    message: /^\.spine\/txn\/journal\.json: not a transaction journal spine wrote/,
  },
  {
    name: '--cwd names a file',
    setup: plain((repo) => writeFileSync(join(repo, 'file'), 'x\n')),
    run: (repo) => runCli([...INIT, '--cwd', 'file'], { cwd: repo }),
    message: /^\/.*\/file: not a directory; pass --cwd a directory$/,
  },
  {
    name: '--cwd names nothing',
    setup: plain(),
    run: (repo) => runCli(['doctor', '--cwd', 'missing'], { cwd: repo }),
    message: /^\/.*\/missing: no such directory; pass --cwd an existing directory$/,
  },
];

describe('environment faults and hostile repos: exit 2, one line, nothing changed', () => {
  it.concurrent.each(FAULTS.map((f) => [f.name, f] as const))('%s', async (_name, fault) => {
    if (fault.strace && !hasStrace) return;
    const { repo, out } = await fault.setup();
    const before = snapshot(repo);
    const outsideBefore = tree(out);
    const result = await fault.run(repo, out);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.replace(/^spine: /, '')).toMatch(fault.message);
    expect(snapshot(repo)).toEqual(before);
    expect(isDeepStrictEqual(tree(out), outsideBefore)).toBe(true);
  });
});
