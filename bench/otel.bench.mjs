// spine report --otel over generated Collector file-exporter output of 1, 5 and 20 million log
// records (goal: 20 million under 60 s on 2 cores, memory flat), in two shapes:
//   repo   every record under its repo's resource (the client applies the project's attributes)
//   join   the client's own events under a resource with no repo, as 2.1.332 and later send
//          them: report joins them to spine.session records by session id
// Sizes: BENCH_OTEL_SIZES (comma-separated, e.g. 1000000); shapes: BENCH_OTEL_SHAPES (repo,join);
// rounds: BENCH_OTEL_ROUNDS (1). With BENCH_BEFORE the older build reads the same files in the
// same rotation. Generated data is kept in .bench/ for the next run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEFORE_BIN, BIN, peakMemory, ROOT, row } from './lib.mjs';
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

/** The ms of one `report --otel` by the build at `bin`, and its coverage notes. */
function reportOnce(bin, facts, dir) {
  const args = [bin, 'report', '--facts', facts, '--otel', dir, '--no-doctor', '--json'];
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`report --otel exited ${result.status}: ${result.stderr}`);
  return { ms, args, telemetry: JSON.parse(result.stdout).coverage?.telemetry };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function ({ base }) {
  const sizes = (process.env.BENCH_OTEL_SIZES ?? '1000000,5000000,20000000').split(',').map(Number);
  const shapes = (process.env.BENCH_OTEL_SHAPES ?? 'repo,join').split(',');
  const rounds = Number(process.env.BENCH_OTEL_ROUNDS ?? 1);
  const facts = factsFile();
  const rows = [];
  for (const records of sizes) {
    for (const shape of shapes) {
      const dir = join(ROOT, '.bench', shape === 'join' ? `otel-join-${records}` : `otel-${records}`);
      if (!existsSync(join(dir, 'done'))) {
        await writeCollectorOutput(dir, { records, clientResource: shape === 'join' });
        writeFileSync(join(dir, 'done'), '');
      }
      const now = [];
      const before = [];
      let last;
      // Rotation: the load of a shared machine weighs on both builds alike.
      for (let round = 0; round < rounds; round++) {
        last = reportOnce(BIN, facts, dir);
        now.push(last.ms);
        if (BEFORE_BIN) before.push(reportOnce(BEFORE_BIN, facts, dir).ms);
      }
      const ms = median(now);
      const mib = peakMemory(process.execPath, last.args);
      const joined = last.telemetry?.joinedBySession;
      rows.push(
        row(
          `report --otel, ${(records / 1e6).toFixed(0)}M records, ${shape}`,
          ms,
          base,
          records >= 20e6 ? '< 60 s' : '',
          `${Math.round(records / (ms / 1000)).toLocaleString('en')} records/s, peak ${mib?.toFixed(0) ?? '?'} MiB` +
            (joined === undefined ? '' : `, ${joined.toLocaleString('en')} joined by session`),
          BEFORE_BIN ? { ms: median(before) } : undefined,
        ),
      );
    }
  }
  return rows;
}
