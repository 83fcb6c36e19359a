// Bundles the hook runtime (src/hooks) into one dependency-free CommonJS file that init copies into
// team repos. It runs on every agent tool call, so it must start with nothing but node: builtins.
// CommonJS, not an ES module: node starts its ES module loader for any .mjs file, which costs about
// a fifth of a bare node start before the first line runs; a .cjs file starts like `node -e ''`.
// Builtins come through plain `require`, which (unlike an ES import of `node:fs`) does not build
// the module's whole namespace and so loads none of the stream modules behind its getters.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

mkdirSync(join(root, 'dist', 'hooks'), { recursive: true });
// Three files: the entry the client runs (small: node compiles it at every start) loads the
// guard's code through V8's code cache (src/hooks/code-cache.ts); the guard decides the blocking
// events (guard and audit append) and loads the third, beside it, only for the events that never
// block (transcript, session summary, exporter), so a tool call compiles none of that code.
// The entry is built last: it carries the build ids of the other two, which name their code
// cache entries without reading them off the files at every start.
const bundles = [
  { entry: 'main.ts', outfile: 'spine-hook-guard.cjs', what: 'guard' },
  { entry: 'session.ts', outfile: 'spine-hook-session.cjs', what: 'session events' },
  { entry: 'entry.ts', outfile: 'spine-hook.cjs', what: 'entry' },
];
const builds = {};
for (const bundle of bundles) {
  const built = await build({
    define: { 'globalThis.__spineHookBuilds': JSON.stringify(builds) },
    entryPoints: [join(root, 'src', 'hooks', bundle.entry)],
    outfile: join(root, 'dist', 'hooks', bundle.outfile),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // Whitespace and syntax minified, names kept (a stack trace still names each function): a
    // quarter less source for every run to read, compare with the cache entry and decode, and
    // measured about half a millisecond less per PreToolUse process.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // src/hooks/self.ts (the script's file, a require for lazy builtins) as CommonJS gives them.
    plugins: [
      {
        name: 'hook-self',
        setup(b) {
          b.onResolve({ filter: /\/self\.js$/ }, (args) =>
            args.importer.startsWith(join(root, 'src', 'hooks'))
              ? { path: join(root, 'scripts', 'hook-self.mjs') }
              : undefined,
          );
        },
      },
    ],
  });
  // The first line names the build of the code below it: the code cache keeps the entries of two
  // releases apart by it (and still compares the whole source before it uses one).
  const code = built.outputFiles[0].contents;
  // ASCII only: V8 holds a source with any other character as two bytes per character, which
  // doubles what every run decodes and copies (a stray ‘ in a regular expression did).
  const wide = code.findIndex((byte) => byte > 0x7f);
  if (wide !== -1) {
    const line = Buffer.from(code.subarray(0, wide)).toString('utf8').split('\n').length;
    throw new Error(
      `dist/hooks/${bundle.outfile}:${line}: a character beyond ASCII; write it as a \\u escape`,
    );
  }
  const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
  builds[bundle.outfile] = id;
  writeFileSync(
    join(root, 'dist', 'hooks', bundle.outfile),
    Buffer.concat([
      Buffer.from(
        `// spine audit and guard hook, ${bundle.what} (build ${id}). Managed by spine: do not edit (spine doctor --fix restores it).\n`,
      ),
      code,
    ]),
  );
}
// The ES module build of earlier releases, so a stale copy is never packed or hashed.
rmSync(join(root, 'dist', 'hooks', 'spine-hook.mjs'), { force: true });

// A build id (hash of everything built) keys memoised results, so a rebuilt tool never reads a
// result computed by different code, even at the same version number.
const hash = createHash('sha256');
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (/\.(c|m)?js$/.test(entry.name)) hash.update(entry.name).update(readFileSync(path));
  }
};
walk(join(root, 'dist'));
walk(join(root, 'generated', 'validators'));
writeFileSync(join(root, 'generated', 'build-id'), `${hash.digest('hex').slice(0, 16)}\n`);
