#!/usr/bin/env node
// CommonJS (bin/package.json): node's ES module loader is started only by a command that needs
// the ES module build in dist/, not by `spine --version` or `spine doctor`.
const nodeModule = require('node:module');
const { homedir } = require('node:os');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // The most frequent question answers like a single small file: no bundle loads for it.
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  // Node ≥ 22.1 keeps compiled code between runs; on older Node the function does not exist.
  // Never in its default place under the temp directory: a sandboxed agent may write there, and
  // compiled code it planted would run as the person outside the sandbox. Only in ~/.cache/spine,
  // the directory the rendered sandbox settings deny writes to, as spine's own code cache
  // (src/io/code-cache-file.ts): none where XDG_CACHE_HOME points elsewhere.
  const dir = compileCacheDir(process.env);
  if (dir) nodeModule.enableCompileCache?.(dir);
  // `spine doctor` runs from its CommonJS files (src/doctor-main.ts); anything else, and a doctor
  // command line its fast path does not take, from the ES module build.
  const doctor =
    argv[0] === 'doctor'
      ? require('../dist/doctor-main.cjs').doctorMain(
          argv,
          pathToFileURL(join(__dirname, '..', 'dist', 'commands', 'doctor.cjs')),
        )
      : Promise.resolve(false);
  doctor.then(async (ran) => {
    if (ran) return;
    const { main } = await import('../dist/main.js');
    await main(argv);
  });
}

/** ~/.cache/spine/compile-cache, unless XDG_CACHE_HOME names another directory. */
function compileCacheDir(env) {
  const home = (env.HOME || homedir()).replace(/\/+$/, '');
  const xdg = env.XDG_CACHE_HOME?.replace(/\/+$/, '');
  if (!home.startsWith('/') || (xdg && xdg !== join(home, '.cache'))) return undefined;
  return join(home, '.cache', 'spine', 'compile-cache');
}
