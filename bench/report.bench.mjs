// spine report over 250 / 500 / 1,000 generated team repos (goal: < 30 s at 1,000, memory flat).
// Facts are computed in worker processes: memory is the peak of the whole process tree (report,
// workers, git), sampled from /proc, next to the report process's own peak.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { BIN, ROOT, row } from './lib.mjs';

async function loadFleet(dir) {
  // The fleet generator is the tests' own helper (TypeScript): strip its types once.
  const source = readFileSync(join(ROOT, 'test/helpers/fleet.ts'), 'utf8');
  const { code } = await transform(source, { loader: 'ts', format: 'esm' });
  const file = join(dir, 'fleet.mjs');
  writeFileSync(file, code);
  return import(pathToFileURL(file).href);
}

/** Runs the command; resolves with wall ms, the tree's peak RSS and the top process's peak (MiB). */
function runSampled(args, options) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    let treePeak = 0;
    let topPeak = 0;
    const sample = () => {
      const kib = treeRss(child.pid);
      if (kib) treePeak = Math.max(treePeak, kib.total);
      if (kib) topPeak = Math.max(topPeak, kib.top);
    };
    const timer = setInterval(sample, 50);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) return reject(new Error(`spine report exited ${code}: ${stderr}`));
      resolve({ ms, tree: treePeak / 1024, top: topPeak / 1024 });
    });
  });
}

/** RSS (KiB) of a process and all its descendants, from /proc (Linux); undefined elsewhere. */
function treeRss(root) {
  let entries;
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const parent = new Map();
  const rss = new Map();
  for (const pid of entries) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      parent.set(Number(pid), Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]));
      rss.set(Number(pid), Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
    } catch {
      // Gone meanwhile.
    }
  }
  const inTree = (pid) => {
    for (let p = pid; p; p = parent.get(p)) if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, kib] of rss) if (inTree(pid)) total += kib;
  return { total, top: rss.get(root) ?? 0 };
}

export default async function ({ base }) {
  const work = mkdtempSync(join(tmpdir(), 'spine-bench-report-'));
  const rows = [];
  try {
    const fleet = await loadFleet(work);
    const weeks = fleet.mondays('2029-07-02', '2030-03-18');
    const repos = [];
    const make = (i) => {
      const dir = join(work, 'repos', `team-${i}`);
      const t0 = weeks[20 + (i % 12)];
      fleet.createTeamRepo(dir, {
        team: `team-${i % 400}`,
        commits: fleet.weeklyCommits(weeks, 5, 1 + (i % 2)),
        lock: [{ date: t0, version: `1.${i % 3}.0` }],
        sharedSkills: [{ name: 'review-change' }, { name: 'handle-secrets' }],
        // One repo in four has removed a locked guardrail: 18 doctor findings on one file.
        lockedRulesRemoved: i % 4 === 0 ? 18 : 0,
        localSkills:
          i % 7 === 0 ? [{ name: `deploy-${i % 3}`, description: 'deploy the service safely' }] : [],
        audit: Object.fromEntries(
          weeks.slice(-4).map((w) => [
            w,
            fleet.auditDay({
              day: w,
              sessions: 5,
              toolCalls: 60,
              nearMisses: { 'secret-dotenv': i % 3 },
              skillTool: { 'review-change': 1 },
            }),
          ]),
        ),
      });
      repos.push(`repos/team-${i}`);
    };
    const env = { ...process.env, SOURCE_DATE_EPOCH: String(Date.parse('2030-03-25T12:00:00Z') / 1000) };
    const report = async (count, doctor) => {
      const args = [BIN, 'report', ...(doctor ? ['--offline'] : ['--no-doctor']), '--json', ...repos];
      const r = await runSampled(args, { cwd: work, env: { ...env, XDG_CACHE_HOME: join(work, 'cache') } });
      rows.push(
        row(
          `report over ${count} repos (${doctor ? 'with doctor' : 'no doctor'})`,
          r.ms,
          base,
          count === 1000 ? '< 30000 ms' : '',
          `peak ${r.tree.toFixed(0)} MiB all processes (report ${r.top.toFixed(0)} MiB)`,
        ),
      );
    };
    const counts = (process.env.BENCH_REPORT_COUNTS ?? '250,500,1000').split(',').map(Number);
    for (const count of counts) {
      while (repos.length < count) make(repos.length);
      await report(count, false);
      // Doctor per repo loads the locked spine once per worker (memoised by content in the cache).
      if (!process.env.BENCH_REPORT_NO_DOCTOR) await report(count, true);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
