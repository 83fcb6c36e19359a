// Start-up of every command: `--version`, `--help`, and for each command a short invocation that
// loads the command's code and ends at its first check (bad input, nothing to do) or after a small
// amount of work — what a user waits for before the command does anything of size. Timed in one
// rotation with a bare node start and, with BENCH_BEFORE, the older build's same invocations.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEFORE_BIN, BIN, nodeCase, ROOT, row, timeInterleaved } from './lib.mjs';

const EMBEDDED = join(ROOT, 'spine');

/** [name, args, goal]: run in a repository the same build onboarded; `empty` is an empty directory. */
const INVOCATIONS = (empty) => [
  ['--version', ['--version'], '≤ 1.5×'],
  ['--help', ['--help'], ''],
  ['init --help', ['init', '--help'], ''],
  ['audit (no log yet)', ['audit'], ''],
  ['validate (not a spine)', ['validate', empty], ''],
  ['resolve (nothing pending)', ['resolve', 'x', '--ours'], ''],
  ['contribute (no such skill)', ['contribute', 'nope', '--dry-run'], ''],
  ['extract (no such target)', ['extract', join(empty, 'nope'), '--into', join(empty, 'x'), '--dry-run'], ''],
  ['rollout (no repositories)', ['rollout', '--from-file', '/dev/null'], ''],
  ['new (directory not empty)', ['new', '.', '--yes'], ''],
  ['report (no facts)', ['report', '--facts', empty], ''],
  ['facts', ['facts', '--offline'], ''],
  ['export managed-settings', ['export', 'managed-settings', '--spine', EMBEDDED], ''],
  ['update --dry-run (up to date)', ['update', '--dry-run', '--offline'], ''],
];

function onboard(bin, scratch, name) {
  const dir = join(scratch, name);
  execFileSync('git', ['init', '-q', dir]);
  execFileSync(process.execPath, [bin, 'init', '--yes', '--team', 'bench', '--champion', 'x'], { cwd: dir });
  return dir;
}

export default async function () {
  const scratch = mkdtempSync(join(tmpdir(), 'spine-bench-startup-'));
  try {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const builds = { '': [BIN, onboard(BIN, scratch, 'now')] };
    if (BEFORE_BIN) builds['before '] = [BEFORE_BIN, onboard(BEFORE_BIN, scratch, 'before')];
    const cases = { node: nodeCase() };
    for (const [prefix, [bin, repo]] of Object.entries(builds)) {
      for (const [name, args] of INVOCATIONS(empty)) {
        cases[prefix + name] = { command: process.execPath, args: [bin, ...args], cwd: repo, ok: [0, 1, 2] };
      }
    }
    const t = timeInterleaved(cases, { rounds: Number(process.env.BENCH_STARTUP_ROUNDS ?? 11) });
    const base = t.node.median;
    const rows = INVOCATIONS(empty).map(([name, , goal]) =>
      row(
        `start-up: spine ${name}`,
        t[name].median,
        base,
        goal || 'no slower',
        '',
        BEFORE_BIN ? { ms: t[`before ${name}`].median, base } : undefined,
      ),
    );
    rows.push(row("start-up: node -e '' (same rotation)", base, base, '', ''));
    return rows;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
