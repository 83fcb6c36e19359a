import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { Script } from 'node:vm';
import {
  codeCacheDir,
  readCodeCacheFile,
  trustedCodeCache,
  writeCodeCacheFile,
} from '../io/code-cache-file.js';

/**
 * The hook's code, run through V8's code cache. Node 20 compiles a script file from its source at
 * every start — the parse, then each function the event calls as it first runs — which is most of
 * what a hook process costs beyond a bare node start. Node ≥ 22.1 can keep compiled code between
 * runs (`module.enableCompileCache`) but Node 20 cannot, so the hook keeps its own: the bytecode
 * `vm.Script#createCachedData` gives after an event has run, one entry per file and per kind of
 * event (a PreToolUse Bash call compiles other functions than a Stop), in
 * `~/.cache/spine/code-cache/`.
 *
 * Compiled code runs as the person, outside the sandbox, so the cache is trusted no more than the
 * hook file itself:
 * - It lives only in `~/.cache/spine`, the directory every rendered sandbox denies writes to
 *   (the `spine-stores-read-only` guardrail). With `XDG_CACHE_HOME` pointing elsewhere there is no
 *   cache: the rendered deny names `~/.cache/spine`, not the person's other directory.
 * - The store and the entry must be the person's own, no link, not writable by others
 *   (io/code-cache-file.ts, io/store-trust.ts); an entry that fails any of that is not read.
 * - An entry holds the source it was compiled from and is used only when that source is byte for
 *   byte the file's: V8's own check compares no more than the source's length.
 * Anything wrong with the cache only costs the compile: the file's code runs either way.
 */

/** A hook file, loaded: its exports, and the cache entry written when there was none to use. */
export interface LoadedCode {
  exports: Record<string, unknown>;
  /**
   * Keeps what this run compiled for the next run of the same kind. `route` names the way the run
   * took through the code (for the guard: its decision, so an allowed call and a denied one): an
   * entry lists the routes it was written after, and a run that used it but took another named
   * route writes it again, with the code both compiled. No-op when the entry already covers the
   * route, or the route is unnamed (`''`: only a run without an entry writes one).
   */
  save(route?: string): void;
}

/** Larger than any hook file spine writes. */
const MAX_CODE_BYTES = 32 * 1024 * 1024;
/** Entries unused for this long (another release's, another Node's) are swept when one is written. */
const SWEEP_AFTER_MS = 30 * 24 * 60 * 60 * 1000;
const MAGIC = 'spine-code-cache-2\n';
/**
 * Routes an entry is written for at most: a bound on how often one kind of event rewrites it, and
 * on the code every run of the kind deserialises whether its route needs it or not.
 */
const MAX_ROUTES = 4;

/**
 * Runs the CommonJS file `file` (a bundle of the hook, which `require`s only node builtins) and
 * returns its exports. `kind` names the event it serves: each kind has its own entry.
 */
export function loadHookCode(
  file: string,
  kind: string,
  require: NodeJS.Require,
  env: NodeJS.ProcessEnv,
): LoadedCode {
  const source = readCode(file);
  const store = trustedCodeCache(codeCacheDir(env));
  const name = store && entryName(file, source, kind);
  const cached = name ? readEntry(`${store}/${name}`, source) : undefined;
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`,
    { filename: file, ...(cached ? { cachedData: cached.code } : {}) },
  );
  const module = { exports: {} as Record<string, unknown> };
  script.runInThisContext()(module.exports, require, module, file, file.slice(0, file.lastIndexOf('/')));
  const covered = cached !== undefined && !script.cachedDataRejected ? cached.routes : undefined;
  return {
    exports: module.exports,
    save: (route = '') => {
      if (!store || !name || !plainRoute(route)) return;
      if (covered && (route === '' || covered.includes(route) || covered.length >= MAX_ROUTES)) return;
      try {
        // After a run that used the entry, the script holds its code and what this route added.
        writeEntry(store, name, source, [...(covered ?? []), route], script.createCachedData());
      } catch {
        // A cache that cannot be written costs the next run its compile, nothing else.
      }
    },
  };
}

/** The hook file's bytes: a regular file of a sane size (a FIFO in its place must not hang us). */
function readCode(file: string): Buffer {
  const fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'EFTYPE' });
    if (stat.size > MAX_CODE_BYTES) throw Object.assign(new Error(`${file} is too large`), { code: 'EFBIG' });
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The build ids of the hook's files, by name (the hash on their first line), which the build puts
 * into the entry: none in the sources the tests run.
 */
const BUILDS: Record<string, string> =
  (globalThis as { __spineHookBuilds?: Record<string, string> }).__spineHookBuilds ?? {};

/**
 * One entry per file content, kind of event, Node and CPU. The build id keeps the entries of two
 * releases apart; without one (a file the entry was not built with), the size does, and the
 * source comparison in readEntry decides either way.
 */
function entryName(file: string, source: Buffer, kind: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const id = Object.hasOwn(BUILDS, base) ? BUILDS[base]! : '';
  const build = plain(id) ? `${id}-${source.length}` : `size${source.length}`;
  return `${plain(base) ? base : 'hook'}-${build}-${plain(kind) ? kind : 'other'}-${process.version}-${process.arch}.bin`;
}

/** A route as an entry lists it: empty, or a plain name (no `,`, which separates them). */
function plainRoute(route: string): boolean {
  return route === '' || plain(route);
}

/** Letters, digits, `.`, `-`, `_`: safe in a file name. A loop: this runs before any regex is compiled. */
function plain(text: string): boolean {
  if (text.length === 0 || text.length > 80 || text.startsWith('.')) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      c === 0x2e ||
      c === 0x2d ||
      c === 0x5f;
    if (!ok) return false;
  }
  return true;
}

/** The compiled code of an entry made from exactly `source`, and the routes it covers; or undefined. */
function readEntry(path: string, source: Buffer): { code: Buffer; routes: string[] } | undefined {
  const entry = readCodeCacheFile(path);
  const start = MAGIC.length + 4;
  if (!entry || entry.length < start || entry.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const length = entry.readUInt32LE(MAGIC.length);
  const routesAt = start + length;
  if (length !== source.length || routesAt >= entry.length) return undefined;
  if (!entry.subarray(start, routesAt).equals(source)) return undefined;
  const codeAt = routesAt + 1 + entry[routesAt]!;
  if (codeAt >= entry.length) return undefined;
  return { code: entry.subarray(codeAt), routes: entry.toString('latin1', routesAt + 1, codeAt).split(',') };
}

/**
 * The entry: the source it was compiled from (its length first), the routes it was written after
 * (their length in one byte, then the names, comma-separated), then the compiled code.
 */
function writeEntry(store: string, name: string, source: Buffer, routes: string[], code: Buffer): void {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(source.length);
  const listed = Buffer.from(routes.join(','), 'latin1');
  if (listed.length > 255) return;
  const parts = [Buffer.from(MAGIC, 'latin1'), length, source, Buffer.from([listed.length]), listed, code];
  if (writeCodeCacheFile(store, name, Buffer.concat(parts))) sweep(store, name);
}

function sweep(store: string, kept: string): void {
  const now = Date.now();
  for (const entry of readdirSync(store)) {
    if (entry === kept) continue;
    const path = `${store}/${entry}`;
    try {
      if (now - statSync(path).mtimeMs > SWEEP_AFTER_MS) unlinkSync(path);
    } catch {
      // Gone already (another hook swept it), or not ours to remove.
    }
  }
}
