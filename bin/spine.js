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
  // compiled code it planted would run as the person outside the sandbox. Only in ~/.cache/spine,
  // the directory the rendered sandbox settings deny writes to, as spine's own code cache
  // (src/io/code-cache-file.ts): none where XDG_CACHE_HOME points elsewhere.
  const dir = compileCacheDir(process.env);
  if (dir) module.enableCompileCache?.(dir);
  const { main } = await import('../dist/main.js');
  main(argv);
}

/** ~/.cache/spine/compile-cache, unless XDG_CACHE_HOME names another directory. */
function compileCacheDir(env) {
  const home = (env.HOME || homedir()).replace(/\/+$/, '');
  const xdg = env.XDG_CACHE_HOME?.replace(/\/+$/, '');
  if (!home.startsWith('/') || (xdg && xdg !== join(home, '.cache'))) return undefined;
  return join(home, '.cache', 'spine', 'compile-cache');
}
