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
