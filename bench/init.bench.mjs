// init from the embedded spine into a fresh git repository (goal: under 1 s wall).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, row, timeCommand } from './lib.mjs';

export default async function ({ base }) {
  const dirs = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'spine-bench-init-'));
    execFileSync('git', ['init', '-q', dir]);
    dirs.push(dir);
    return dir;
  };
  const samples = [];
  for (let i = 0; i < 11; i++) {
    const dir = fresh();
    samples.push(
      timeCommand(process.execPath, [BIN, 'init', '--yes', '--team', 'bench', '--champion', 'x'], {
        runs: 1,
        cwd: dir,
      }).median,
    );
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  return [
    row('init (embedded spine, fresh repo)', median, base, '< 1000 ms', `wall ${median.toFixed(0)} ms`),
  ];
}
