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
// - Whole-command files, dist/commands/<name>.cjs, for the commands listed in WHOLE_COMMANDS: the
//   command's module and everything it imports, lazily or not, in one CommonJS file without
//   splitting. Splitting cuts a command's lazy imports into one chunk per set of commands sharing
//   the code, most under 2 KB: doctor loaded about 75 of them, init about 67, and resolving,
//   reading and linking that many files cost more than compiling the code in them. In a
//   whole-command file a lazy import stays lazy (esbuild wraps the module's top level in a
//   function run on first import). CommonJS because src/io/whole-command.ts loads it through
//   V8's code cache, which an ES module cannot use: after the first run nothing is compiled again.
//   Beside it, dist/commands/<name>.js is the small ES module with the same exports that the
//   command's `command.ts` imports instead of its chunk. src/errors.ts is not copied into the file
//   but handed to it from dist/errors.js, so `instanceof UserError` in main.ts holds for errors the
//   command throws; large, rarely needed modules are left to the split build (FROM_SPLIT_BUILD).
//
// Code that needs files of the package (templates/, spine/, schemas/, generated/, the built
// hook) finds the package root from its own file (src/io/package-files.ts), whichever file it
// lands in.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

/** Commands built as one file each: the ones whose start-up is measured against a bare node. */
const WHOLE_COMMANDS = ['doctor', 'init'];

/**
 * Modules of the CLI layer a whole-command file carries too, by command (paths under src/). main.ts
 * imports cli-fast.ts, which runs `spine doctor` without commander, from doctor's file: that path
 * then loads one code-cached file instead of cli-fast's chunks and their builtins as ES modules.
 */
const ALSO_IN_WHOLE_COMMAND = { 'cli-fast.ts': 'doctor' };

/** The function a whole-command file is: node's CommonJS wrapper and the loader's two names. */
const WHOLE_COMMAND_WRAPPER =
  '(function (exports, require, module, __filename, __dirname, __spineImport, __spineFileUrl) {';

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
    b.onResolve({ filter: /^\./ }, (args) => {
      const command =
        ALSO_IN_WHOLE_COMMAND[relative(src, join(args.resolveDir, args.path)).replace(/\.js$/, '.ts')];
      if (!command) return undefined;
      if (args.importer !== join(src, 'main.ts')) throw new Error(`only main.ts may import ${args.path}`);
      return { path: `./commands/${command}.js`, external: true };
    });
  },
};

/** A whole-command file's entry: the command's index.ts and the modules it also carries. */
const wholeCommandEntries = {
  name: 'whole-command-entries',
  setup(b) {
    b.onResolve({ filter: /^whole-command:/ }, (args) => ({
      path: args.path.slice('whole-command:'.length),
      namespace: 'whole-command',
    }));
    b.onLoad({ filter: /.*/, namespace: 'whole-command' }, (args) => ({
      contents: wholeCommandSources(args.path)
        .map((file) => `export * from ${JSON.stringify(file)};`)
        .join('\n'),
      resolveDir: src,
      loader: 'ts',
    }));
  },
};

function wholeCommandSources(name) {
  return [
    join(src, 'commands', name, 'index.ts'),
    ...Object.entries(ALSO_IN_WHOLE_COMMAND)
      .filter(([, command]) => command === name)
      .map(([path]) => join(src, path)),
  ];
}

/**
 * Modules a whole-command file takes from the split build instead of copying them, by their
 * entry there (dist/<entry>.js). errors.ts so that `instanceof UserError` in main.ts holds for
 * errors the command throws; the others because they are large and rarely needed, so the command
 * keeps loading them lazily (their chunks): the spine loader and the YAML parser (a warm
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
  // CommonJS, so that src/io/whole-command.ts can load it through V8's code cache (see there).
  format: 'cjs',
  banner: {},
  // The loader's wrapper provides the file's URL; `import()` is renamed below to the loader's.
  define: { 'import.meta.url': '__spineFileUrl' },
  entryPoints: Object.fromEntries(
    WHOLE_COMMANDS.map((name) => [`commands/${name}`, `whole-command:${name}`]),
  ),
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  splitting: false,
  write: false,
  plugins: [wholeCommandEntries, fromSplitBuild],
});
failOnWarnings(whole);

// dist/doctor-main.cjs: `spine doctor` as bin/spine.js (CommonJS) runs it, without node's ES module
// loader (src/doctor-main.ts). CommonJS, with its own copy of errors.ts: the error classes are
// branded, so an error from either copy is recognised by both.
const doctorMain = await build({
  ...common,
  format: 'cjs',
  banner: {},
  entryPoints: { 'doctor-main': join(src, 'doctor-main.ts') },
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  splitting: false,
  sourcemap: false,
});
failOnWarnings(doctorMain);

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
    (i) => i.external && i.kind !== 'dynamic-import' && i.path.startsWith('../') && i.path !== '../errors.js',
  );
  if (eager.length > 0) throw new Error(`${file} loads ${eager[0].path} at start-up`);
}

// Each whole-command file: the CommonJS code (its `import()`s made the loader's `__spineImport`,
// which resolves them from the file as node would), and beside it, as dist/commands/<name>.js,
// the ES module the command's `command.ts` imports, which loads it through the code cache.
for (const out of whole.outputFiles) {
  mkdirSync(dirname(out.path), { recursive: true });
  if (!out.path.endsWith('.cjs')) {
    writeFileSync(out.path, out.contents);
    continue;
  }
  const code = out.text.replace(/\bimport\((?=["'`\w])/g, '__spineImport(');
  const stray = /.{0,40}\bimport\(.{0,40}/.exec(code);
  if (stray) throw new Error(`${out.path}: an import() the build did not rename: ${stray[0]}`);
  // Written already wrapped as the loader runs it, so it reads the file as the one source string
  // V8 compiles (no second 400 KB copy for a young generation to collect).
  writeFileSync(out.path, `${WHOLE_COMMAND_WRAPPER}${code}\n})`);
  const name = basename(out.path, '.cjs');
  writeFileSync(join(dist, 'commands', `${name}.js`), await wholeCommandModule(name));
}

/**
 * The ES module standing for a whole-command file: the same exports, loaded from its .cjs. The
 * loader (src/io/whole-command.ts) is bundled into it, so the command's path loads one module
 * more than the .cjs file, not the loader's chunks too; errors.js stays the split build's.
 */
async function wholeCommandModule(name) {
  const names = (await Promise.all(wholeCommandSources(name).map(exportNames))).flat();
  const result = await build({
    ...common,
    stdin: {
      contents: `// ${name}.cjs through V8's code cache: src/io/whole-command.ts
import * as errors from '../errors.js';
import { loadWholeCommand } from ${JSON.stringify(join(src, 'io', 'whole-command.ts'))};

export const { ${names.join(', ')} } = loadWholeCommand(new URL('./${name}.cjs', import.meta.url), {
  '../errors.js': errors,
});
`,
      resolveDir: join(dist, 'commands'),
      sourcefile: `${name}.js`,
      loader: 'js',
    },
    external: ['../errors.js'],
    sourcemap: false,
    metafile: false,
    write: false,
  });
  failOnWarnings(result);
  return result.outputFiles[0].text;
}

/** The names a module exports (type-only exports have none at run time). */
async function exportNames(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: false,
    format: 'esm',
    platform: 'node',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs)[0].exports.filter((n) => n !== 'default');
}
