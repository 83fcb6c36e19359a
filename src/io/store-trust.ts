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
  const rest = relative(root, dir);
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
