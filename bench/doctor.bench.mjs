// doctor on a freshly onboarded repository whose onboarding is committed (embedded spine): goal ≤ 3× `node -e ''`, ≤ 60 MiB,
// timed in one rotation with a bare node start (and, with BENCH_BEFORE, the older build's doctor
// on a repository it onboarded itself).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BEFORE,
  BEFORE_BIN,
  BIN,
  CA_FILE,
  GIT_ENV,
  nodeCase,
  peakMemoryMedian,
  ROOT,
  row,
  timeInterleaved,
  withCaBundle,
} from './lib.mjs';

/** A team repository with a commit, onboarded, and the onboarding committed: what doctor meets. */
function onboard(bin, spine) {
  const dir = mkdtempSync(join(tmpdir(), 'spine-bench-doctor-'));
  const git = (...args) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV } });
  git('init', '-q');
  writeFileSync(join(dir, 'README.md'), '# app\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'app');
  const from = spine ? ['--spine', spine] : [];
  execFileSync(process.execPath, [bin, 'init', '--yes', '--team', 'bench', '--champion', 'x', ...from], {
    cwd: dir,
  });
  git('add', '-A');
  git('commit', '-q', '-m', 'onboard');
  return dir;
}

/**
 * The embedded spine as an organisation keeps its own: a git repository with a release tag,
 * which init clones into spine's cache (a file:// URL, so nothing leaves the machine). Most teams
 * are onboarded from such a spine, not the embedded one.
 */
function gitSpine(root) {
  const dir = join(mkdtempSync(join(tmpdir(), 'spine-bench-git-spine-')), 'spine');
  cpSync(join(root, 'spine'), dir, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV } });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'spine');
  git('tag', 'v1.0.0');
  return dir;
}

export default async function () {
  // Each build onboards from its own embedded spine (an older build may not read today's).
  const spine = gitSpine(ROOT);
  const beforeSpine = BEFORE ? gitSpine(BEFORE) : undefined;
  const dirs = {
    now: onboard(BIN),
    git: onboard(BIN, pathToFileURL(spine).href),
    ...(BEFORE_BIN
      ? { before: onboard(BEFORE_BIN), 'before git': onboard(BEFORE_BIN, pathToFileURL(beforeSpine).href) }
      : {}),
  };
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
        git: doctor(BIN, dirs.git),
        ...(dirs.before
          ? { before: doctor(BEFORE_BIN, dirs.before), 'before git': doctor(BEFORE_BIN, dirs['before git']) }
          : {}),
        ...(CA_FILE
          ? { 'node ca': nodeCase(withCaBundle()), 'now ca': doctor(BIN, dirs.now, withCaBundle()) }
          : {}),
      },
      { rounds: 25 },
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
    rows.push(
      row(
        'doctor (onboarded from a git spine, --offline)',
        t.git.median,
        base,
        '≤ 3×',
        `peak ${mib(BIN, dirs.git)?.toFixed(1) ?? 'n/a'} MiB; the spine read from its cached clone`,
        dirs.before ? { ms: t['before git'].median, base } : undefined,
      ),
    );
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
    for (const dir of [...Object.values(dirs), join(spine, '..')])
      rmSync(dir, { recursive: true, force: true });
  }
}
