#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import module from 'node:module';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The most frequent question answers like a single small file: no bundle loads for it.
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  // Node ≥ 22.1 keeps compiled code between runs; on older Node the function does not exist.
  module.enableCompileCache?.();
  const { main } = await import('../dist/main.js');
  main(argv);
}
