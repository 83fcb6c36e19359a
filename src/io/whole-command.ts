import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { codeCacheDir, readCodeCacheFile, trustedCodeCache, writeCodeCacheFile } from './code-cache-file.js';

/**
 * Loads a whole-command file (dist/commands/<name>.cjs, scripts/build-cli.mjs) through V8's code
 * cache: Node 20 has no compile cache, and compiling the command's code — at start-up and then
 * function by function as it first runs — was a third of `spine doctor`'s time. The cache is
 * written after the command ran to its end, so it holds every function the run compiled, and the
 * next run compiles almost nothing; a run that ends another way (findings after a clean run) adds
 * what it compiled once (COMPLETE_RUNS). An ES module cannot take cached data; the file is CommonJS, built
 * wrapped as node's own loader wraps one, plus `__spineImport` (its `import()`, resolved from the
 * file) and `__spineFileUrl` (its `import.meta.url`).
 *
 * Trust: cached code runs as the person, so it is read and written only where the hook keeps its
 * own (`~/.cache/spine/code-cache`, hooks/code-cache.ts: the directory the rendered sandbox denies
 * writes to, never an `XDG_CACHE_HOME` elsewhere) and only when that directory passes
 * `untrustedStore` (not a link, the user's own, not writable by others). The file name holds the node and V8 versions and the command file's identity
 * (device, inode, size, change and modification times in nanoseconds), so a rebuilt or replaced
 * file never meets the cache of another; V8 itself rejects cached data of other flags. Any failure
 * to read or write the cache only costs speed.
 */
export function loadWholeCommand(url: URL, provided: Record<string, unknown>): Record<string, unknown> {
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const cacheFile = codeCacheFile(file);
  const cached = cacheFile ? readEntry(cacheFile) : undefined;
  // The file is the wrapper function itself (scripts/build-cli.mjs).
  const script = new Script(source, { filename: file, ...(cached ? { cachedData: cached.code } : {}) });
  if (cacheFile) {
    const covered = cached && !script.cachedDataRejected ? cached.routes : [];
    // After the command ran: the cache then holds the functions it compiled on the way.
    process.once('beforeExit', () => {
      const route = String(process.exitCode ?? 0);
      if (!COMPLETE_RUNS.has(route) || covered.includes(route) || covered.length >= COMPLETE_RUNS.size)
        return;
      writeCache(cacheFile, [...covered, route], script.createCachedData());
    });
  }
  const nodeRequire = createRequire(file);
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper(
    module.exports,
    (id: string) => (id in provided ? provided[id] : nodeRequire(id)),
    module,
    file,
    dirname(file),
    (specifier: string) => import(new URL(specifier, url).href),
    url.href,
  );
  return module.exports;
}

/** The cache file for this command file and this node, or undefined where none may be used. */
function codeCacheFile(file: string): string | undefined {
  try {
    // The hook's own rule (hooks/code-cache.ts): only ~/.cache/spine, the directory the rendered
    // sandbox denies writes to; an XDG_CACHE_HOME elsewhere gets no code cache.
    const dir = trustedCodeCache(codeCacheDir(process.env));
    if (!dir) return undefined;
    const s = statSync(file, { bigint: true });
    const identity = [s.dev, s.ino, s.size, s.ctimeNs, s.mtimeNs].join('-');
    // The install's place first: each installed copy keeps its own cache (a global spine and an
    // npx one in turn must not evict each other), and a rebuild in place replaces its own.
    const name = `${basename(file, '.cjs')}-${placeHash(file)}`;
    return join(
      dir,
      `${name}-node${process.version}-v8${process.versions.v8}-${process.arch}-${identity}.bin`,
    );
  } catch {
    return undefined;
  }
}

/** FNV-1a, 32 bits, in hex: a short name for where a file is installed. */
function placeHash(path: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/**
 * The runs a cache is written after, by exit code: a command that ran to its end, with nothing to
 * report (0) or with findings (1), each once. Never after bad input (2): such a run stops before
 * most of the command's code, and a cache written then would leave every later run compiling that
 * code again (a first `spine doctor` outside a repository cost every later doctor a tenth).
 */
const COMPLETE_RUNS = new Set(['0', '1']);
const MAGIC = 'spine-whole-command-cache-1\n';

/** A cache file: the routes it was written after (one byte of length, then the names), then V8's data. */
function readEntry(cacheFile: string): { routes: string[]; code: Buffer } | undefined {
  const entry = readCodeCacheFile(cacheFile);
  if (!entry || entry.length <= MAGIC.length || entry.toString('latin1', 0, MAGIC.length) !== MAGIC)
    return undefined;
  const codeAt = MAGIC.length + 1 + entry[MAGIC.length]!;
  if (codeAt >= entry.length) return undefined;
  return {
    routes: entry.toString('latin1', MAGIC.length + 1, codeAt).split(','),
    code: entry.subarray(codeAt),
  };
}

/** Writes the cache, and replaces the caches of earlier builds installed in the same place. */
function writeCache(cacheFile: string, routes: string[], code: Buffer): void {
  const dir = dirname(cacheFile);
  const name = cacheFile.slice(dir.length + 1);
  const prefix = name.slice(0, name.indexOf('-node') + 5);
  const listed = Buffer.from(routes.join(','), 'latin1');
  const data = Buffer.concat([Buffer.from(MAGIC, 'latin1'), Buffer.from([listed.length]), listed, code]);
  if (!writeCodeCacheFile(dir, name, data)) return;
  try {
    for (const other of readdirSync(dir)) {
      if (other.startsWith(prefix) && other !== name && other.endsWith('.bin')) unlinkSync(join(dir, other));
    }
  } catch {
    // Another run swept them first.
  }
}
