import { posix } from 'node:path';

/**
 * Which of spine's stores on this machine (the cache with its clones and memo, the state with its
 * seals) a sandboxed command may write, judged from the sandbox's filesystem settings as the
 * client reads them (docs/sandbox.md): `//x` absolute, `~/x` under the home directory, `/x`
 * relative to the settings file's directory (`.claude/`), anything else relative to the project.
 * The project directory itself is always writable. A deny inside an allowed path wins (verified
 * with both clients). Globs are judged by their fixed prefix: an allowed glob counts as allowing
 * everything under its prefix, a denied glob denies nothing — so a doubt is always reported.
 */
export interface StoreDir {
  /** `cache` or `state`: what the message calls it. */
  name: string;
  /** Absolute path, as spine resolved it (XDG variables included). */
  dir: string;
  /** The variable a person changes to move it. */
  variable: string;
}

export interface SandboxWriteEntry {
  /** The entry as written in the settings file. */
  entry: string;
  /** The settings file that holds it (repo-relative). */
  file: string;
}

export interface ExposedStore {
  store: StoreDir;
  /** The allowWrite entry that opens it, or undefined when the project directory does. */
  allowedBy?: SandboxWriteEntry;
}

export interface ExposureInput {
  stores: StoreDir[];
  allowWrite: SandboxWriteEntry[];
  denyWrite: SandboxWriteEntry[];
  home: string;
  projectDir: string;
}

export function exposedStores(input: ExposureInput): ExposedStore[] {
  return writableFromSandbox(input.stores, input).map(({ item, allowedBy }) => ({
    store: item,
    ...(allowedBy ? { allowedBy } : {}),
  }));
}

/**
 * The directories of `items` a sandboxed command may write: each with the allowWrite entry that
 * opens it, or none when the project directory does. The same judgement as for spine's stores.
 */
export function writableFromSandbox<T extends { dir: string }>(
  items: readonly T[],
  input: Omit<ExposureInput, 'stores'>,
): { item: T; allowedBy?: SandboxWriteEntry }[] {
  const resolve = (entry: string) => sandboxEntryPath(entry, input.home, input.projectDir);
  const allowed = input.allowWrite.flatMap((w) => {
    const path = resolve(w.entry);
    return path ? [{ path: globPrefix(path), write: w }] : [];
  });
  const denied = input.denyWrite.flatMap((w) => {
    const path = resolve(w.entry);
    return path && !hasGlob(path) ? [path] : [];
  });
  const out: { item: T; allowedBy?: SandboxWriteEntry }[] = [];
  for (const item of items) {
    const dir = posix.normalize(item.dir);
    if (denied.some((d) => covers(d, dir))) continue;
    const by = allowed.find((a) => covers(a.path, dir));
    if (by) out.push({ item, allowedBy: by.write });
    else if (covers(posix.normalize(input.projectDir), dir)) out.push({ item });
  }
  return out;
}

/** An entry of sandbox.filesystem.* as an absolute path (undefined: one it cannot place). */
export function sandboxEntryPath(entry: string, home: string, projectDir: string): string | undefined {
  if (entry.startsWith('//')) return posix.normalize(entry.slice(1));
  if (entry === '~') return posix.normalize(home);
  if (entry.startsWith('~/')) return posix.join(home, entry.slice(2));
  if (entry.startsWith('~')) return undefined;
  if (entry.startsWith('/')) return posix.join(projectDir, '.claude', entry.slice(1));
  return posix.join(projectDir, entry);
}

const hasGlob = (path: string) => /[*?[]/.test(path);

/** The directories before a glob's first wildcard segment (the whole path when it has none). */
function globPrefix(path: string): string {
  if (!hasGlob(path)) return path;
  const parts = path.split('/');
  const first = parts.findIndex((p) => hasGlob(p));
  return parts.slice(0, first).join('/') || '/';
}

function covers(parent: string, dir: string): boolean {
  const p = parent.replace(/\/+$/, '') || '/';
  return dir === p || dir.startsWith(p === '/' ? '/' : `${p}/`);
}
