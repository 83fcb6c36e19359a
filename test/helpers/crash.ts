import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './gitdir.js';
import { BIN, type CliResult } from './run-cli.js';

/** The write syscalls a kill is placed on, one sweep each (strace counts each syscall apart). */
export const WRITE_SYSCALLS = ['rename', 'unlink', 'link', 'mkdir', 'rmdir'] as const;
export type WriteSyscall = (typeof WRITE_SYSCALLS)[number];

export const hasStrace = spawnSync('strace', ['-V']).status === 0;

function run(argv: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      argv[0]!,
      argv.slice(1),
      { cwd, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 128 + 9) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** How many times the spine process (not its git children) makes each write syscall. */
export async function countWrites(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<Record<WriteSyscall, number>> {
  const log = join(tempDir('spine-strace-'), 'trace');
  await run(
    ['strace', '-qq', '-e', `trace=${WRITE_SYSCALLS.join(',')}`, '-o', log, process.execPath, BIN, ...args],
    cwd,
    env,
  );
  const counts = Object.fromEntries(WRITE_SYSCALLS.map((s) => [s, 0])) as Record<WriteSyscall, number>;
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const name = /^(\w+)\(/.exec(line)?.[1] as WriteSyscall | undefined;
    if (name && name in counts) counts[name]++;
  }
  return counts;
}

/** Runs the CLI and has the kernel deliver SIGKILL on the n-th call of `syscall` (before it runs). */
export function runKilledAt(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  syscall: WriteSyscall,
  n: number,
): Promise<CliResult> {
  return run(
    [
      'strace',
      '-qq',
      '-o',
      '/dev/null',
      '-e',
      `inject=${syscall}:signal=KILL:when=${n}`,
      process.execPath,
      BIN,
      ...args,
    ],
    cwd,
    env,
  );
}

/** Every kill point (budget 0), or about `budget` of them spread evenly over every sweep. */
export function killPoints(
  counts: Record<WriteSyscall, number>,
  budget: number,
): { syscall: WriteSyscall; n: number }[] {
  const all = WRITE_SYSCALLS.flatMap((syscall) =>
    Array.from({ length: counts[syscall] }, (_, i) => ({ syscall, n: i + 1 })),
  );
  if (budget <= 0 || all.length <= budget) return all;
  const step = all.length / budget;
  return Array.from({ length: budget }, (_, i) => all[Math.floor(i * step)]!);
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}
