// Loads the embedded spine (spine/) through the full pipeline — YAML, schemas, cross-field rules —
// once, at build time, and keeps the result in generated/embedded-spine.json, keyed by every file
// of the tree and the build id (src/spine/embedded-snapshot.ts). A spine/ that does not load fails
// the build. Runs last: the key includes the build id, which build-hook.mjs writes.
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Bundled beside the output, so the code finds the package root from its own file as in dist/.
const entry = join(root, 'generated', '.embedded-spine-build.mjs');
await build({
  stdin: {
    contents: [
      "export { snapshotEmbeddedSpine } from './src/spine/embedded-snapshot.ts';",
      "export { readSpineDirectory } from './src/spine/sources/directory.ts';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  outfile: entry,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
try {
  const { snapshotEmbeddedSpine, readSpineDirectory } = await import(pathToFileURL(entry).href);
  const text = await snapshotEmbeddedSpine(readSpineDirectory(join(root, 'spine'), 'spine/'));
  writeFileSync(join(root, 'generated', 'embedded-spine.json'), text);
} finally {
  rmSync(entry, { force: true });
}
