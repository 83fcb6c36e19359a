import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  countWrites,
  hasStrace,
  killPoints,
  pool,
  runKilledAt,
  WRITE_SYSCALLS,
  type WriteSyscall,
} from '../helpers/crash.js';
import { git, gitdir, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { GIT_ENV, newSpineRepo, pioneerRepo } from '../helpers/pioneers.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile } from '../helpers/spine-copy.js';
import {
  CHECKLIST,
  CHECKLIST_LINE,
  commit,
  onboard,
  REVIEW,
  useTaggedSpine,
} from '../helpers/update-spine.js';

/**
 * Kills spine with SIGKILL at its n-th write syscall (strace fault injection, placed before the
 * call runs) for every n, then runs what a user would run next, and requires the repo to be
 * byte-identical to the state before or to a clean run's state. CI samples the kill points;
 * SPINE_CRASH_EXHAUSTIVE=1 runs every one.
 */
const EXHAUSTIVE = process.env.SPINE_CRASH_EXHAUSTIVE === '1';
const baseEnv = { XDG_CACHE_HOME: tempDir('spine-crash-cache-') };

useTaggedSpine();

interface Case {
  name: string;
  /** A repo in the state before the command; copied for each kill. */
  setup: () => Promise<string>;
  args: string[];
  /** What the user runs after the crash (by kill index, to cover each way out). */
  recovery: (index: number) => string[];
  /** Exit codes the recovery may end with (1: conflicts pending, 2: "previous update not finished"). */
  okCodes: number[];
  /** How many kill points CI samples (every one with SPINE_CRASH_EXHAUSTIVE=1). */
  budget: number;
  /** More environment for every run (a git identity for commands that commit). */
  env?: Record<string, string>;
  /** What else must hold after the recovery (git's own state, which the snapshot leaves out), beside the clean run's repo. */
  check?: (dir: string, clean: string) => void;
}

function copyRepo(from: string): string {
  const dir = tempDir('spine-crash-');
  cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

async function sweep(c: Case): Promise<void> {
  const env = { ...baseEnv, ...c.env };
  const before = await c.setup();
  const beforeState = snapshot(before);
  const clean = copyRepo(before);
  const cleanRun = await runCli(c.args, { cwd: clean, env });
  expect(cleanRun.code === 70 || cleanRun.code === 137).toBe(false);
  const cleanState = snapshot(clean);
  expect(cleanState).not.toEqual(beforeState);

  const counts = await countWrites(c.args, copyRepo(before), env);
  const points = killPoints(counts, EXHAUSTIVE ? 0 : c.budget);
  const outcomes = await pool(points, 2, async ({ syscall, n }, index) => {
    const repo = copyRepo(before);
    const killed = await runKilledAt(c.args, repo, env, syscall, n);
    const recovery = await runCli(c.recovery(index), { cwd: repo, env });
    const state = snapshot(repo);
    let checked = '';
    try {
      c.check?.(repo, clean);
    } catch (error) {
      checked = ` check: ${(error as Error).message.split('\n')[0]}`;
    }
    return {
      at: `${syscall}#${n}`,
      killed: killed.code === 137,
      recovered: c.okCodes.includes(recovery.code),
      identical: !checked && (isDeepStrictEqual(state, beforeState) || isDeepStrictEqual(state, cleanState)),
      detail: `${recovery.code} ${recovery.stderr.split('\n')[0]}${checked}`,
    };
  });
  const kills = outcomes.filter((o) => o.killed).length;
  const recovered = outcomes.filter((o) => o.recovered).length;
  const identical = outcomes.filter((o) => o.identical).length;
  const perSyscall = WRITE_SYSCALLS.map((s: WriteSyscall) => `${s} ${counts[s]}`).join(', ');
  process.stdout.write(
    `crash ${c.name}: ${kills} kills (of ${points.length} points; writes: ${perSyscall}), ${recovered} recovered, ${identical} identical\n`,
  );
  expect(outcomes.filter((o) => !o.recovered || !o.identical)).toEqual([]);
  expect(kills).toBeGreaterThan(points.length / 2);
}

describe.skipIf(!hasStrace)('a kill -9 at any write leaves a repo the next command recovers', () => {
  it('new --release', { timeout: 600_000 }, async () => {
    await sweep({
      name: 'new',
      setup: async () => tempDir('spine-crash-new-'),
      args: ['new', 'acme-spine', '--release', '--yes'],
      // Run again as it was: an interrupted spine new is finished, never refused.
      recovery: () => ['new', 'acme-spine', '--release', '--yes'],
      okCodes: [0],
      budget: 8,
      env: GIT_ENV,
      check: (parent) => {
        const dir = join(parent, 'acme-spine');
        expect(git(dir, 'log', '--format=%s')).toBe('Start the acme-spine spine');
        expect(git(dir, 'tag', '--list')).toBe('v0.1.0');
        expect(git(dir, 'status', '--porcelain')).toBe('');
      },
    });
  });

  it('extract into a git spine', { timeout: 600_000 }, async () => {
    // The branch's commit, the branch checked out after and the report, as git and the user see them.
    const outcome = (parent: string) => {
      const spine = join(parent, 'acme-spine');
      return {
        branches: git(spine, 'branch', '--format=%(HEAD) %(refname:short)'),
        tree: git(spine, 'rev-parse', 'spine-extract/biome^{tree}'),
        log: git(spine, 'log', '--format=%s%n%b', 'main..spine-extract/biome'),
        status: git(spine, 'status', '--porcelain', '--untracked-files=all'),
      };
    };
    await sweep({
      name: 'extract',
      setup: async () => {
        const parent = tempDir('spine-crash-extract-');
        cpSync(await newSpineRepo(), join(parent, 'acme-spine'), { recursive: true, verbatimSymlinks: true });
        pioneerRepo('biome', parent);
        return parent;
      },
      args: ['extract', 'biome', '--into', 'acme-spine', '--report', 'extract.md'],
      // Run again as it was: a run killed before its commit is resumed on its branch.
      recovery: () => ['extract', 'biome', '--into', 'acme-spine', '--report', 'extract.md'],
      okCodes: [0],
      budget: 6,
      env: GIT_ENV,
      check: (parent, clean) => expect(outcome(parent)).toEqual(outcome(clean)),
    });
  });

  it('extract into a plain spine directory', { timeout: 600_000 }, async () => {
    await sweep({
      name: 'extract (no git)',
      setup: async () => {
        const parent = tempDir('spine-crash-extract-dir-');
        cpSync(await newSpineRepo(), join(parent, 'acme-spine'), { recursive: true, verbatimSymlinks: true });
        rmSync(join(parent, 'acme-spine', '.git'), { recursive: true });
        pioneerRepo('biome', parent);
        return parent;
      },
      // No report: a rerun after the last write finds the files taken and reports that instead.
      args: ['extract', 'biome', '--into', 'acme-spine'],
      recovery: () => ['extract', 'biome', '--into', 'acme-spine'],
      okCodes: [0],
      budget: 3,
      env: GIT_ENV,
    });
  });

  it('init', { timeout: 600_000 }, async () => {
    await sweep({
      name: 'init',
      setup: async () => {
        const repo = gitdir({
          'README.md': '# app\n',
          '.claude/settings.json': '{\n  "permissions": {\n    "allow": ["Bash(npm test)"]\n  }\n}\n',
          'CLAUDE.md': '# app\n\nOur notes.\n',
        });
        return repo;
      },
      args: ['init', '--team', 'payments', '--champion', '@a', '--yes'],
      recovery: () => ['init', '--team', 'payments', '--champion', '@a', '--yes'],
      okCodes: [0],
      budget: 8,
    });
  });

  it('update with merges and a conflict', { timeout: 600_000 }, async () => {
    await sweep({
      name: 'update',
      setup: async () => {
        const repo = await onboard();
        editFile(repo, CHECKLIST, (t) => t.replace(CHECKLIST_LINE, 'Check only what payments cares about.'));
        editFile(repo, REVIEW, (t) => t.replace('\n# ', '\nTeam preface.\n\n# '));
        commit(repo, 'team edits');
        return repo;
      },
      args: ['update', '--to', 'v1.1.0'],
      recovery: (i) =>
        [
          ['update', '--to', 'v1.1.0'],
          ['update', '--abort'],
          ['update', '--continue'],
        ][i % 3]!,
      okCodes: [0, 1, 2],
      budget: 6,
    });
  });

  it('remove', { timeout: 600_000 }, async () => {
    await sweep({
      name: 'remove',
      setup: async () => {
        const repo = gitdir({
          'README.md': '# app\n',
          '.claude/settings.json':
            '{\n  "permissions": {\n    "allow": [\n      "Bash(npm test)"\n    ]\n  }\n}\n',
          'CLAUDE.md': '# app\n\nOur notes.\n',
        });
        const init = await runCli(['init', '--team', 'payments', '--champion', '@a', '--yes'], {
          cwd: repo,
          env: baseEnv,
        });
        expect(init.code).toBe(0);
        commit(repo, 'onboard');
        return repo;
      },
      args: ['remove'],
      recovery: () => ['remove'],
      okCodes: [0],
      budget: 6,
    });
  });

  it('doctor --fix', { timeout: 600_000 }, async () => {
    await sweep({
      name: 'doctor --fix',
      setup: async () => {
        const repo = await onboard();
        writeTree(repo, { [REVIEW]: 'mine\n', 'CLAUDE.md': '# payments\n\nOur notes.\n' });
        editFile(repo, '.claude/settings.json', (t) => t.replace('"Read(**/.env)",', ''));
        git(repo, 'add', '-A');
        git(repo, 'commit', '-qm', 'drift');
        return repo;
      },
      args: ['doctor', '--fix', '--offline'],
      recovery: () => ['doctor', '--fix', '--offline'],
      okCodes: [0, 1],
      budget: 6,
    });
  });
});
