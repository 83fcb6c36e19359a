// Bundles the CLI (src/) into dist/ with esbuild: ES modules with code splitting, so a command
// starts like a single file instead of resolving and compiling hundreds of small modules, and
// each command's own code and heavy dependencies (the forge client, prompts, the HTML report,
// git adapters…) sit in chunks that only its lazy `import()` loads. Identifiers stay unminified
// so a stack trace reads like the source; the source maps beside the files are for debugging and
// never packed (package.json "files": "!**/*.map"). Type checking is `npm run typecheck` (tsc).
//
// Layout: dist/main.js (what bin/spine.js imports), dist/facts-worker.js and dist/otel-worker.js
// (the report's worker entries, started by path), dist/chunks/*.js (shared and lazily loaded
// code). Code that needs files of the package (templates/, spine/, schemas/, generated/, the built
// hook) finds the package root from its own file (src/io/package-files.ts), whichever chunk it
// lands in.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: {
    main: join(root, 'src', 'main.ts'),
    'facts-worker': join(root, 'src', 'commands', 'report', 'facts-worker.ts'),
    'otel-worker': join(root, 'src', 'commands', 'report', 'otel-worker.ts'),
  },
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too; only node: builtins stay imports.
  packages: 'bundle',
  // ES module builds first: jsonc-parser's "main" is a UMD file whose require()s esbuild cannot follow.
  mainFields: ['module', 'main'],
  sourcemap: 'linked',
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (commander, fs-extra, simple-git…) call require() for node
  // builtins, which an ES module lacks: give every output file one.
  banner: {
    js: "import { createRequire as __spineCreateRequire } from 'node:module';\nconst require = __spineCreateRequire(import.meta.url);",
  },
});
