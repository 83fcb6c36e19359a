// Bundles the hook runtime (src/hooks) into one dependency-free ES module that init copies into
// team repos. It runs on every agent tool call, so it must start with nothing but node: builtins.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The hook's `node:` imports, loaded through `require` instead of as ES modules. Importing a
 * builtin as an ES module builds its whole namespace, which runs every lazy getter on it:
 * `import { readFileSync } from 'node:fs'` alone loads fs.promises and the stream modules (about
 * 20 internal modules) that the hook never uses. Each builtin becomes a small module exporting
 * its plain data properties (a getter would load what it guards, so none is exported: a hook
 * source importing one fails the build).
 */
const requireBuiltin = {
  name: 'require-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.path === 'node:module' || args.namespace === 'builtin'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const names = Object.entries(
        Object.getOwnPropertyDescriptors(createRequire(import.meta.url)(args.path)),
      )
        .filter(([name, d]) => 'value' in d && /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default')
        .map(([name]) => name);
      const exports = names.map((name) => `export const ${name} = builtin.${name};`).join('\n');
      return {
        contents: `import { createRequire } from 'node:module';\nconst builtin = createRequire(import.meta.url)(${JSON.stringify(args.path)});\nexport default builtin;\n${exports}\n`,
        loader: 'js',
      };
    });
  },
};

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
  plugins: [requireBuiltin],
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
