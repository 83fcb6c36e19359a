import { lstatSync } from 'node:fs';
import { relative, sep } from 'node:path';

/**
 * Why spine must not use `dir` inside one of its own stores (the cache or state directory,
 * `root`), or undefined when it may. Checked from `root` down to `dir`, component by component
 * and without following links: a store that is a symbolic link, not a directory, owned by another
 * user or writable by others may hold what someone else put there (an agent's sandbox can write
 * `/tmp`, and a link can lead anywhere). A component that does not exist yet is fine: spine
 * creates it. `root`'s own parents are the person's choice (an `XDG_CACHE_HOME` that is a link
 * is theirs) and are not judged here; `spine doctor` reports a store the sandbox can write.
 */
export function untrustedStore(root: string, dir: string = root): string | undefined {
  const rest = relativePath(root, dir);
  if (rest.startsWith('..')) return `${dir} is outside ${root}`;
  const parts = rest ? rest.split(sep) : [];
  let path = root;
  for (let i = 0; i <= parts.length; i++) {
    if (i > 0) path = `${path}${sep}${parts[i - 1]}`;
    const reason = untrustedEntry(path);
    if (reason === 'missing') return undefined;
    if (reason) return `${path} ${reason}`;
  }
  return undefined;
}

/**
 * `path.relative(from, to)`, for the common case without it: two absolute paths written plainly
 * (no empty, `.` or `..` component, no trailing slash), `to` at or below `from`. The hook computes
 * such a path on every run, and `path.relative` (with `path.resolve` under it) is compiled the
 * first time a process calls it, from node's source: about a tenth of a millisecond. Anything
 * else goes to `path.relative` itself, so the answer is always its answer.
 */
export function relativePath(from: string, to: string): string {
  if (plainAbsolute(from) && plainAbsolute(to)) {
    if (to === from) return '';
    if (from === '/') return to.slice(1);
    if (to.startsWith(from) && to.charCodeAt(from.length) === 0x2f) return to.slice(from.length + 1);
  }
  return relative(from, to);
}

/** `/`, or `/a/b` with no empty, `.` or `..` component. A loop: no regular expression to compile. */
function plainAbsolute(path: string): boolean {
  if (path.charCodeAt(0) !== 0x2f) return false;
  if (path.length === 1) return true;
  let start = 1;
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 0x2f) continue;
    const length = i - start;
    if (length === 0) return false;
    if (
      path.charCodeAt(start) === 0x2e &&
      (length === 1 || (length === 2 && path.charCodeAt(start + 1) === 0x2e))
    )
      return false;
    start = i + 1;
  }
  return true;
}

const verdicts = new Map<string, string | undefined>();

/** `untrustedStore`, decided once per process for each directory (a memo is read many times). */
export function untrustedStoreOnce(root: string, dir: string = root): string | undefined {
  const key = `${root}\0${dir}`;
  if (!verdicts.has(key)) verdicts.set(key, untrustedStore(root, dir));
  return verdicts.get(key);
}

function untrustedEntry(path: string): string | undefined | 'missing' {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return 'missing';
  }
  if (stat.isSymbolicLink()) return 'is a symbolic link';
  if (!stat.isDirectory()) return 'is not a directory';
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return `is owned by another user (uid ${stat.uid})`;
  if ((stat.mode & 0o002) !== 0) return 'is writable by every user';
  return undefined;
}
