// spine report --otel over generated Collector file-exporter output of 1, 5 and 20 million log
// records (goal: 20 million under 60 s on 2 cores, memory flat). Sizes: BENCH_OTEL_SIZES
// (comma-separated, e.g. 1000000). Generated data is kept in .bench/ for the next run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, peakMemory, ROOT, row } from './lib.mjs';
import { writeCollectorOutput } from './otel-data.mjs';

function factsFile() {
  const repo = mkdtempSync(join(tmpdir(), 'spine-bench-otel-'));
  const run = (cmd, args) =>
    spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: '1' } });
  run('git', ['init', '-q']);
  run('git', ['remote', 'add', 'origin', 'https://github.com/acme/repo-0.git']);
  run(process.execPath, [BIN, 'init', '--yes', '--team', 'team-0', '--champion', 'c']);
  const facts = run(process.execPath, [BIN, 'facts', '--json']).stdout;
  const file = join(repo, 'facts.json');
  writeFileSync(file, facts);
  return file;
}

export default async function ({ base }) {
  const sizes = (process.env.BENCH_OTEL_SIZES ?? '1000000,5000000,20000000').split(',').map(Number);
  const facts = factsFile();
  const rows = [];
  for (const records of sizes) {
    const dir = join(ROOT, '.bench', `otel-${records}`);
    if (!existsSync(join(dir, 'done'))) {
      await writeCollectorOutput(dir, { records });
      writeFileSync(join(dir, 'done'), '');
    }
    const args = [BIN, 'report', '--facts', facts, '--otel', dir, '--no-doctor', '--json'];
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`report --otel exited ${result.status}: ${result.stderr}`);
    const mib = peakMemory(process.execPath, args);
    rows.push(
      row(
        `report --otel, ${(records / 1e6).toFixed(0)}M records`,
        ms,
        base,
        records >= 20e6 ? '< 60 s' : '',
        `${Math.round(records / (ms / 1000)).toLocaleString('en')} records/s, peak ${mib?.toFixed(0) ?? '?'} MiB`,
      ),
    );
  }
  return rows;
}
