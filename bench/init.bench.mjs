// init from the embedded spine into a fresh git repository (goal: ≤ 250 ms wall), in one rotation
// with a bare node start and, with BENCH_BEFORE, the older build's init.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEFORE_BIN, BIN, nodeCase, row, timeInterleaved } from './lib.mjs';

export default async function () {
  const scratch = mkdtempSync(join(tmpdir(), 'spine-bench-init-'));
  let n = 0;
  const init = (bin) => {
    const c = {
      command: process.execPath,
      args: [bin, 'init', '--yes', '--team', 'bench', '--champion', 'x'],
    };
    // Each run onboards a fresh repository, made before the clock starts.
    c.before = () => {
      c.cwd = join(scratch, `repo-${n++}`);
      execFileSync('git', ['init', '-q', c.cwd]);
    };
    return c;
  };
  try {
    const t = timeInterleaved(
      { node: nodeCase(), now: init(BIN), ...(BEFORE_BIN ? { before: init(BEFORE_BIN) } : {}) },
      { rounds: 11 },
    );
    const base = t.node.median;
    return [
      row(
        'init (embedded spine, fresh repo)',
        t.now.median,
        base,
        '≤ 250 ms',
        `wall ${t.now.median.toFixed(0)} ms${BEFORE_BIN ? ` (before ${t.before.median.toFixed(0)} ms)` : ''}`,
        BEFORE_BIN ? { ms: t.before.median, base } : undefined,
      ),
      row("init: node -e '' (same rotation)", base, base, '', ''),
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
