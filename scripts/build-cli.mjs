// Bundles the CLI (src/) into dist/ with esbuild, so a command starts like a single file instead
// of resolving and compiling hundreds of small modules. Identifiers stay unminified so a stack
// trace reads like the source; the source maps beside the files are for debugging and never
// packed (package.json "files": "!**/*.map"). Type checking is `npm run typecheck` (tsc).
//
// Two kinds of output:
// - The split build: dist/main.js (what bin/spine.js imports), dist/errors.js, the report's
//   worker entries dist/facts-worker.js and dist/otel-worker.js, the modules whole-command files
//   load lazily (dist/lazy/*.js, FROM_SPLIT_BUILD) and dist/chunks/*.js — ES modules
//   with code splitting, where each lazy `import()` is a chunk, so a command loads only its own
//   code and heavy dependencies (the forge client, prompts, the HTML report…).
// - Whole-command files, dist/commands/<name>.js, for the commands listed in WHOLE_COMMANDS: the
//   command's module and everything it imports, lazily or not, in one file without splitting.
//   Splitting cuts a command's lazy imports into one chunk per set of commands sharing the code,
//   most under 2 KB: doctor loaded about 75 of them, init about 67, and resolving, reading and linking that
//   many files cost more than compiling the code in them. In a whole-command file a lazy import
//   stays lazy (esbuild wraps the module's top level in a function run on first import); only
//   the parse is paid up front. The command's `command.ts` imports the file instead of its
//   chunk. src/errors.ts is not copied into it but imported from dist/errors.js, so `instanceof
//   UserError` in main.ts holds for errors the command throws; large, rarely needed modules are
//   left to the split build (FROM_SPLIT_BUILD).
//
// Code that needs files of the package (templates/, spine/, schemas/, generated/, the built
// hook) finds the package root from its own file (src/io/package-files.ts), whichever file it
// lands in.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

/** Commands built as one file each: the ones whose start-up is measured against a bare node. */
const WHOLE_COMMANDS = ['doctor', 'init'];

const common = {
  bundle: true,
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
  metafile: true,
  // Bundled CommonJS dependencies (commander, fs-extra, simple-git…) call require() for node
  // builtins, which an ES module lacks: give every output file one.
  banner: {
    js: "import { createRequire as __spineCreateRequire } from 'node:module';\nconst require = __spineCreateRequire(import.meta.url);",
  },
};

/**
 * The `node:` imports of a whole-command file, loaded through `require` instead of as ES modules
 * (not in the split build: there each builtin's module would become a chunk file of its own).
 * Importing a builtin as an ES module builds its whole namespace, which runs every lazy getter on
 * it: `node:fs` alone then loads fs.promises and the stream modules, and the builtins doctor
 * imports cost ~8 ms more that way than required. Each builtin becomes a small
 * module exporting its plain data properties and the builtin itself as default. A getter is not
 * exported (that would run it): a named import of one fails the build, and so does a namespace
 * import that reads one (esbuild warns; warnings fail the build below).
 */
const EAGER_GETTERS = { 'node:util': ['aborted'] };

const requireBuiltins = {
  name: 'require-builtins',
  setup(b) {
    // Only ES imports: a bundled CommonJS dependency's require() already gets the builtin itself.
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.path === 'node:module' || args.namespace === 'builtin' || args.kind !== 'import-statement'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const names = Object.entries(
        Object.getOwnPropertyDescriptors(createRequire(import.meta.url)(args.path)),
      )
        .filter(
          ([name, d]) =>
            ('value' in d || EAGER_GETTERS[args.path]?.includes(name)) &&
            /^[A-Za-z_$][\w$]*$/.test(name) &&
            name !== 'default',
        )
        .map(([name]) => name);
      const exports = names.map((name) => `export const ${name} = builtin.${name};`).join('\n');
      return {
        contents: `const builtin = require(${JSON.stringify(args.path)});\nexport default builtin;\n${exports}\n`,
        loader: 'js',
      };
    });
  },
};

/** A command's `command.ts` imports its whole-command file instead of the chunk of `./index.js`. */
const wholeCommandImports = {
  name: 'whole-command-imports',
  setup(b) {
    b.onResolve({ filter: /^\.\/index\.js$/ }, (args) => {
      const name = relative(join(src, 'commands'), dirname(args.importer));
      if (!WHOLE_COMMANDS.includes(name) || !args.importer.endsWith('command.ts')) return undefined;
      // command.ts lands in a chunk (dist/chunks/), a sibling folder of dist/commands/.
      return { path: `../commands/${name}.js`, external: true };
    });
  },
};

/**
 * Modules a whole-command file takes from the split build instead of copying them, by their
 * entry there (dist/<entry>.js). errors.ts so that `instanceof UserError` in main.ts holds for
 * errors the command throws; the others because they are large and rarely needed, so the command
 * keeps loading them lazily (their chunks): git sources (execa, semver: a third of doctor's code,
 * unused with the embedded or a directory spine), the spine loader and the YAML parser (a warm
 * doctor has the spine, local.yaml and the lock memoised) and the TOML parser (only for a
 * Cargo.toml or pyproject.toml). A module a statically imported one imports must be listed too,
 * or the import is hoisted and loads it at start-up (the build checks this). Keys are paths under
 * src/ or package names.
 */
const FROM_SPLIT_BUILD = {
  'errors.ts': 'errors',
  'smol-toml': 'lazy/smol-toml',
  'spine/yaml-file.ts': 'lazy/yaml-file',
  'spine/load.ts': 'lazy/load',
  'spine/release-version.ts': 'lazy/release-version',
  'spine/sources/git-source.ts': 'lazy/git-source',
  'spine/sources/commit-tree.ts': 'lazy/commit-tree',
  'spine/integrity.ts': 'lazy/integrity',
  'io/prompts.ts': 'lazy/prompts',
};

const fromSplitBuild = {
  name: 'from-split-build',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (!args.importer.startsWith(src)) return undefined;
      const path = args.path.startsWith('.')
        ? relative(src, join(dirname(args.importer), args.path)).replace(/\.js$/, '.ts')
        : args.path;
      const entry = FROM_SPLIT_BUILD[path];
      // Whole-command files sit in dist/commands/, beside dist/lazy/ and below dist/.
      return entry ? { path: `../${entry}.js`, external: true } : undefined;
    });
  },
};

/** A warning is a build that may misbehave at run time (an import that is always undefined). */
function failOnWarnings(result) {
  if (result.warnings.length > 0) throw new Error(`the CLI build has ${result.warnings.length} warning(s)`);
  return result;
}

rmSync(dist, { recursive: true, force: true });
const split = await build({
  ...common,
  entryPoints: {
    main: join(src, 'main.ts'),
    ...Object.fromEntries(
      Object.entries(FROM_SPLIT_BUILD).map(([path, entry]) => [
        entry,
        path.endsWith('.ts') ? join(src, path) : path,
      ]),
    ),
    'facts-worker': join(src, 'commands', 'report', 'facts-worker.ts'),
    'otel-worker': join(src, 'commands', 'report', 'otel-worker.ts'),
  },
  outdir: dist,
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  plugins: [wholeCommandImports],
});
failOnWarnings(split);
const whole = await build({
  ...common,
  entryPoints: Object.fromEntries(
    WHOLE_COMMANDS.map((name) => [`commands/${name}`, join(src, 'commands', name, 'index.ts')]),
  ),
  outdir: dist,
  splitting: false,
  plugins: [fromSplitBuild, requireBuiltins],
});
failOnWarnings(whole);

// The whole-command imports are relative to dist/chunks/: fail the build if one landed elsewhere.
for (const [file, output] of Object.entries(split.metafile.outputs)) {
  const imports = output.imports.filter((i) => i.external && i.path.startsWith('../commands/'));
  if (imports.length > 0 && !file.startsWith(`${relative(root, dist)}/chunks/`)) {
    throw new Error(`${file} imports ${imports[0].path}, which only resolves from dist/chunks/`);
  }
}

// A static import of a split-build module is hoisted to the top of the whole-command file and
// loads it, and its chunks, at every start: only errors.js may be imported so. Anything else is a
// lazy module that a statically imported one imports (list that one in FROM_SPLIT_BUILD too).
for (const [file, output] of Object.entries(whole.metafile.outputs)) {
  const eager = output.imports.filter(
    (i) =>
      i.external && i.kind === 'import-statement' && i.path.startsWith('../') && i.path !== '../errors.js',
  );
  if (eager.length > 0) throw new Error(`${file} loads ${eager[0].path} at start-up`);
}
