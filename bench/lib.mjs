// Shared timing helpers for the benchmarks. Every number is reported next to a baseline measured
// in the same run (a bare `node -e ''`), so results compare across machines.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clientEnv } from '../test/helpers/client-env.mjs';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BIN = fileURLToPath(new URL('../bin/spine.js', import.meta.url));

// Measured processes start as they would on a developer's laptop: without NODE_EXTRA_CA_CERTS.
// Node reads that CA bundle at every start (tens of ms), so a baseline taken with it set and a
// process measured without it (the session bench's client gets a minimal environment) give ratios
// no user sees. The bench drops it from its own environment here, before anything is started, so
// the baseline and every measured process inherit the same clean one; where the bundle matters
// (a bare start, the hook as the client runs it) the benches also report the time with it set.
export const CA_FILE = process.env.NODE_EXTRA_CA_CERTS || undefined;
delete process.env.NODE_EXTRA_CA_CERTS;

/** The environment with the CA bundle set again (for the rows that report its cost). */
export function withCaBundle(env = process.env) {
  return CA_FILE ? { ...env, NODE_EXTRA_CA_CERTS: CA_FILE } : undefined;
}

/**
 * BENCH_BEFORE=<dir>: an older build of the package (bin/, dist/, generated/, … and its
 * node_modules) to time beside this one in the same interleaved runs, so before/after figures
 * come from one run on one machine.
 */
export const BEFORE = process.env.BENCH_BEFORE ? resolve(process.env.BENCH_BEFORE) : undefined;
export const BEFORE_BIN = BEFORE ? resolve(BEFORE, 'bin/spine.js') : undefined;

/** The built hook of a build (or the hook init installed in a repository): .cjs, or .mjs before. */
export function hookFile(dir) {
  const cjs = join(dir, 'spine-hook.cjs');
  return existsSync(cjs) ? cjs : join(dir, 'spine-hook.mjs');
}
if (BEFORE_BIN && !existsSync(BEFORE_BIN)) throw new Error(`BENCH_BEFORE: no ${BEFORE_BIN}`);

/**
 * The CPU time (ms, user + system) of this process's finished children, from /proc: a run's
 * share of it does not grow when other processes crowd the cores, unlike its wall time. The
 * kernel counts it in clock ticks (10 ms), so only a mean over many runs is meaningful.
 */
function childCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // cutime and cstime are fields 16 and 17 of stat(5); [0] here is field 3.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The wall ms and CPU ms of one run of a command; a status outside `ok` is a broken bench. */
function runOnce(c) {
  // `before` prepares the run (a fresh directory, say) off the clock, and may set the case's cwd.
  c.before?.();
  const { command, args, cwd = ROOT, env = process.env, input, ok = [0, 1] } = c;
  const cpuBefore = childCpuMs();
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, input, stdio: ['pipe', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!ok.includes(result.status)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return { ms, cpu: childCpuMs() - cpuBefore };
}

function stats(samples, cpu = []) {
  const s = [...samples].sort((a, b) => a - b);
  const cpuMean = cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : Number.NaN;
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], samples, cpuMean };
}

/** Median wall time (ms) of running a command `runs` times, after one warm-up. */
export function timeCommand(command, args, { runs = 15, cwd = ROOT, env = process.env, input, ok } = {}) {
  const c = { command, args, cwd, env, input, ok };
  runOnce(c);
  const measured = Array.from({ length: runs }, () => runOnce(c));
  return stats(
    measured.map((r) => r.ms),
    measured.map((r) => r.cpu),
  );
}

/**
 * Times several commands in rotation: each round runs every case once, after one warm-up round.
 * The machine's load (other processes on shared cores) then weighs on every case alike, and a
 * ratio between two cases of one rotation is far steadier than one between separate runs.
 * Returns { [case name]: { median, min, max, samples, cpuMean } }.
 */
export function timeInterleaved(cases, { rounds = 15 } = {}) {
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const cpu = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [name, c] of Object.entries(cases)) {
      const run = runOnce(c);
      if (round > 0) {
        samples[name].push(run.ms);
        cpu[name].push(run.cpu);
      }
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stats(v, cpu[k])]));
}

/** A bare node start as a case of a rotation, in the given environment. */
export function nodeCase(env = process.env) {
  return { command: process.execPath, args: ['-e', ''], env };
}

/** Peak resident memory (MiB) of one run, from /usr/bin/time when available. */
export function peakMemory(command, args, { cwd = ROOT, env = process.env } = {}) {
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { cwd, env, encoding: 'utf8' });
  if (result.error) return undefined;
  const kib = Number(result.stderr.trim().split('\n').pop());
  return Number.isFinite(kib) ? kib / 1024 : undefined;
}

/** The median peak memory (MiB) of a few runs. */
export function peakMemoryMedian(command, args, options, runs = 5) {
  const values = Array.from({ length: runs }, () => peakMemory(command, args, options));
  if (values.some((v) => v === undefined)) return undefined;
  return stats(values).median;
}

export function baseline(runs = 15) {
  return timeCommand(process.execPath, ['-e', ''], { runs });
}

/**
 * One row of the table. `base` is the baseline the ratio is taken against (ideally a bare node
 * start of the same rotation); `before` ({ ms, base }) the same measure of the BENCH_BEFORE build.
 */
export function row(name, ms, base, goal, extra = '', before) {
  const r = { name, ms: round1(ms), ratio: round2(ms / base), goal, extra };
  if (before) {
    r.beforeMs = round1(before.ms);
    r.beforeRatio = round2(before.ms / (before.base ?? base));
  }
  return r;
}

const round1 = (x) => Math.round(x * 10) / 10;
const round2 = (x) => Math.round(x * 100) / 100;

/** Git that ignores the machine's config and commits as the bench, for the fixtures benches build. */
export const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};

/** The clients the session benches drive: the pinned one and the newest (larger transcripts). */
export const CLAUDE_PINNED = join(ROOT, 'node_modules/@anthropic-ai/claude-code/bin/claude.exe');
export const CLAUDE_NEWEST = join(ROOT, 'node_modules/claude-code-newest/bin/claude.exe');

/** The scripted model server is TypeScript (test/helpers); bundle it once into a temp module. */
export async function loadModelServer(dir) {
  const { build } = await import('esbuild');
  const outfile = join(dir, 'model-server.mjs');
  await build({
    entryPoints: [join(ROOT, 'test/helpers/model-server.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
  });
  return import(outfile);
}

/** A client home that trusts `repos` (no trust dialog to answer). */
export function trustingHome(home, repos) {
  mkdirSync(join(home, '.claude'), { recursive: true });
  const projects = Object.fromEntries(repos.map((r) => [r, { hasTrustDialogAccepted: true }]));
  writeFileSync(join(home, '.claude', '.claude.json'), JSON.stringify({ projects }));
  return home;
}

/**
 * One `claude -p` session of client `bin` in `repo` against the scripted server at `baseUrl`,
 * Bash and Read allowed, with a minimal environment plus `env`: resolves its wall time (ms) and
 * stdout, rejects on a non-zero exit.
 */
export function runClaude(bin, repo, home, baseUrl, env = {}) {
  const childEnv = clientEnv({ home, baseUrl, env });
  const args = ['-p', 'work', '--output-format', 'json', '--allowedTools', 'Bash', 'Read'];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(bin, args, { cwd: repo, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`claude exited ${code}: ${err.slice(0, 400)}`));
      else resolve({ ms, out });
    });
  });
}
