// npm run bench: runs every bench/*.bench.mjs and prints one table of ratios to `node -e ''`.
import { readdirSync } from 'node:fs';
import { baseline } from './lib.mjs';

const base = baseline(21).median;
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const only = process.argv.slice(2);
const rows = [];
for (const file of files) {
  if (only.length && !only.some((o) => file.includes(o))) continue;
  const mod = await import(new URL(file, import.meta.url));
  rows.push(...(await mod.default({ base })));
}
console.log(`baseline: node -e '' = ${base.toFixed(1)} ms (median)\n`);
console.log(['benchmark'.padEnd(44), 'ms'.padStart(9), 'ratio'.padStart(7), '  goal', '  notes'].join(' '));
for (const r of rows) {
  console.log(
    [
      r.name.padEnd(44),
      String(r.ms).padStart(9),
      `${r.ratio}×`.padStart(7),
      `  ${r.goal}`,
      `  ${r.extra}`,
    ].join(' '),
  );
}
if (process.env.BENCH_JSON) console.log(JSON.stringify({ baseMs: base, rows }));
