#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The most frequent question answers like a single small file: no bundle loads for it.
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${version}\n`);
} else {
  // Node ≥ 22.1 keeps compiled code between runs; on older Node the function does not exist.
  // Never in its default place under the temp directory: a sandboxed agent may write there, and
  // compiled code it planted would run as the person outside the sandbox. spine's cache
  // directory is one the rendered sandbox settings deny writes to (doctor: store-writable).
  module.enableCompileCache?.(join(cacheRoot(process.env), 'spine', 'compile-cache'));
  const { main } = await import('../dist/main.js');
  main(argv);
}

/** $XDG_CACHE_HOME, else ~/.cache (src/cli-define.ts resolves spine's cache directory alike). */
function cacheRoot(env) {
  return env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
}
