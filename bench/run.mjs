// npm run bench: runs every bench/*.bench.mjs and prints one table of ratios to `node -e ''`.
//
//   npm run bench -- hook doctor              only the benches whose file name contains a word
//   BENCH_BEFORE=<dir> npm run bench          also time an older build (a copy of the package with
//                                             its node_modules) in the same rotations
//
// Measured processes get the bench's environment without NODE_EXTRA_CA_CERTS (bench/lib.mjs).
import { readdirSync } from 'node:fs';
import { BEFORE, baseline, CA_FILE, nodeCase, timeInterleaved, withCaBundle } from './lib.mjs';

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

console.log(`baseline: node -e '' = ${base.toFixed(1)} ms (median, NODE_EXTRA_CA_CERTS unset)`);
if (CA_FILE) {
  // What the CA bundle costs a bare start on this machine, from one rotation.
  const t = timeInterleaved({ clean: nodeCase(), ca: nodeCase(withCaBundle()) }, { rounds: 21 });
  console.log(
    `          with NODE_EXTRA_CA_CERTS set (as here): ${t.ca.median.toFixed(1)} ms = ` +
      `${(t.ca.median / t.clean.median).toFixed(2)}× the clean start`,
  );
}
if (BEFORE) console.log(`before: ${BEFORE}`);
console.log('');
const withBefore = rows.some((r) => r.beforeMs !== undefined);
const header = ['benchmark'.padEnd(48), 'ms'.padStart(9), 'ratio'.padStart(7)];
if (withBefore) header.push('before ms'.padStart(10), 'before'.padStart(7));
console.log([...header, '  goal', '  notes'].join(' '));
for (const r of rows) {
  const cells = [r.name.padEnd(48), String(r.ms).padStart(9), `${r.ratio}×`.padStart(7)];
  if (withBefore) {
    cells.push(
      String(r.beforeMs ?? '').padStart(10),
      (r.beforeRatio === undefined ? '' : `${r.beforeRatio}×`).padStart(7),
    );
  }
  console.log([...cells, `  ${r.goal}`, `  ${r.extra}`].join(' '));
}
if (process.env.BENCH_JSON) console.log(JSON.stringify({ baseMs: base, rows }));
