// doctor on a freshly onboarded repository (embedded spine): goal ≤ 3× `node -e ''`, ≤ 60 MiB,
// timed in one rotation with a bare node start (and, with BENCH_BEFORE, the older build's doctor
// on a repository it onboarded itself).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BEFORE_BIN,
  BIN,
  CA_FILE,
  nodeCase,
  peakMemoryMedian,
  row,
  timeInterleaved,
  withCaBundle,
} from './lib.mjs';

function onboard(bin) {
  const dir = mkdtempSync(join(tmpdir(), 'spine-bench-doctor-'));
  execFileSync('git', ['init', '-q', dir]);
  execFileSync(process.execPath, [bin, 'init', '--yes', '--team', 'bench', '--champion', 'x'], { cwd: dir });
  return dir;
}

export default async function () {
  const dirs = { now: onboard(BIN), ...(BEFORE_BIN ? { before: onboard(BEFORE_BIN) } : {}) };
  const doctor = (bin, cwd, env = process.env) => ({
    command: process.execPath,
    args: [bin, 'doctor', '--offline'],
    cwd,
    env,
  });
  try {
    const t = timeInterleaved(
      {
        node: nodeCase(),
        now: doctor(BIN, dirs.now),
        ...(dirs.before ? { before: doctor(BEFORE_BIN, dirs.before) } : {}),
        ...(CA_FILE
          ? { 'node ca': nodeCase(withCaBundle()), 'now ca': doctor(BIN, dirs.now, withCaBundle()) }
          : {}),
      },
      { rounds: 15 },
    );
    const base = t.node.median;
    const mib = (bin, cwd) => peakMemoryMedian(process.execPath, [bin, 'doctor', '--offline'], { cwd });
    const memNow = mib(BIN, dirs.now);
    const memBefore = dirs.before ? mib(BEFORE_BIN, dirs.before) : undefined;
    const memory =
      memNow === undefined
        ? 'peak memory n/a'
        : `peak ${memNow.toFixed(1)} MiB${memBefore === undefined ? '' : ` (before ${memBefore.toFixed(1)})`}, goal ≤ 60`;
    const rows = [
      row(
        'doctor (onboarded repo, embedded spine)',
        t.now.median,
        base,
        '≤ 3×',
        memory,
        dirs.before ? { ms: t.before.median, base } : undefined,
      ),
    ];
    if (CA_FILE) {
      rows.push(
        row(
          '  … with NODE_EXTRA_CA_CERTS set',
          t['now ca'].median,
          t['node ca'].median,
          '',
          `ratio to a bare start with it set (${t['node ca'].median.toFixed(1)} ms)`,
        ),
      );
    }
    rows.push(row("doctor: node -e '' (same rotation)", base, base, '', ''));
    return rows;
  } finally {
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  }
}
