// Shared timing helpers for the benchmarks. Every number is reported next to a baseline measured
// in the same run (a bare `node -e ''`), so results compare across machines.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BIN = fileURLToPath(new URL('../bin/spine.js', import.meta.url));

/** Median wall time (ms) of running a command `runs` times, after one warm-up. */
export function timeCommand(command, args, { runs = 15, cwd = ROOT, env = process.env, input } = {}) {
  const once = () => {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd, env, input, stdio: ['pipe', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0 && result.status !== 1) {
      throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    }
    return ms;
  };
  once();
  const samples = Array.from({ length: runs }, once).sort((a, b) => a - b);
  return {
    median: samples[Math.floor(samples.length / 2)],
    min: samples[0],
    max: samples[samples.length - 1],
  };
}

/** Peak resident memory (MiB) of one run, from /usr/bin/time when available. */
export function peakMemory(command, args, { cwd = ROOT, env = process.env } = {}) {
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { cwd, env, encoding: 'utf8' });
  if (result.error) return undefined;
  const kib = Number(result.stderr.trim().split('\n').pop());
  return Number.isFinite(kib) ? kib / 1024 : undefined;
}

export function baseline(runs = 15) {
  return timeCommand(process.execPath, ['-e', ''], { runs });
}

export function row(name, ms, base, goal, extra = '') {
  const ratio = ms / base;
  return { name, ms: Math.round(ms * 10) / 10, ratio: Math.round(ratio * 100) / 100, goal, extra };
}
