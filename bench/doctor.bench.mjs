// doctor on a freshly onboarded repository (embedded spine): goal ≤ 3× `node -e ''`, ≤ 80 MiB.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, peakMemory, row, timeCommand } from './lib.mjs';

export default async function ({ base }) {
  const dir = mkdtempSync(join(tmpdir(), 'spine-bench-doctor-'));
  try {
    execFileSync('git', ['init', '-q', dir]);
    execFileSync(process.execPath, [BIN, 'init', '--yes', '--team', 'bench', '--champion', 'x'], {
      cwd: dir,
    });
    const args = [BIN, 'doctor', '--offline'];
    const time = timeCommand(process.execPath, args, { runs: 15, cwd: dir });
    const mib = peakMemory(process.execPath, args, { cwd: dir });
    const memory = mib === undefined ? 'peak memory n/a' : `peak ${mib.toFixed(1)} MiB (goal ≤ 80)`;
    return [row('doctor (onboarded repo, embedded spine)', time.median, base, '≤ 3×', memory)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
