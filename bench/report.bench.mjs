// spine report over 250 / 500 / 1,000 generated team repos (goal: < 30 s at 1,000, memory flat).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { BIN, peakMemory, ROOT, row } from './lib.mjs';

async function loadFleet(dir) {
  // The fleet generator is the tests' own helper (TypeScript): strip its types once.
  const source = readFileSync(join(ROOT, 'test/helpers/fleet.ts'), 'utf8');
  const { code } = await transform(source, { loader: 'ts', format: 'esm' });
  const file = join(dir, 'fleet.mjs');
  writeFileSync(file, code);
  return import(pathToFileURL(file).href);
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
    for (const count of [250, 500, 1000]) {
      while (repos.length < count) make(repos.length);
      const args = [BIN, 'report', '--no-doctor', '--json', ...repos];
      const start = process.hrtime.bigint();
      const mem = peakMemory(process.execPath, args, { cwd: work, env });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      rows.push(
        row(
          `report over ${count} repos (no doctor)`,
          ms,
          base,
          count === 1000 ? '< 30000 ms' : '',
          mem ? `peak ${mem.toFixed(0)} MiB` : '',
        ),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
