// Bundles the hook runtime (src/hooks) into one dependency-free ES module that init copies into
// team repos. It runs on every agent tool call, so it must start with nothing but node: builtins.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'dist', 'hooks'), { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'hooks', 'main.ts')],
  outfile: join(root, 'dist', 'hooks', 'spine-hook.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  minify: false,
  legalComments: 'none',
  banner: {
    js: '// spine audit and guard hook. Managed by spine: do not edit (spine doctor --fix restores it).',
  },
});

// A build id (hash of everything built) keys memoised results, so a rebuilt tool never reads a
// result computed by different code, even at the same version number.
const { createHash } = await import('node:crypto');
const { readdirSync, readFileSync, writeFileSync } = await import('node:fs');
const hash = createHash('sha256');
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.js') || entry.name.endsWith('.mjs'))
      hash.update(entry.name).update(readFileSync(path));
  }
};
walk(join(root, 'dist'));
walk(join(root, 'generated', 'validators'));
writeFileSync(join(root, 'generated', 'build-id'), `${hash.digest('hex').slice(0, 16)}\n`);
