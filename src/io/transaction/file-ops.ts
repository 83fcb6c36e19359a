import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomHex } from '../../core/sha256.js';
import { UserError } from '../../errors.js';

/** What is at a path now: bytes and mode, or undefined when nothing is. A directory is refused. */
export function readState(path: string, rel: string): { content: Buffer; mode: number } | undefined {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  if (!stat.isFile()) {
    throw new UserError('expected a file here, found a directory or special file; move it aside', {
      file: rel,
    });
  }
  return { content: readFileSync(path), mode: stat.mode & 0o7777 };
}

const TEMP = /\.[0-9a-f]{12}\.tmp$/;

/** Writes through a temp file beside the target and a rename, so no reader sees half a file. */
export function replaceFile(path: string, content: Buffer | string, mode?: number): void {
  const temp = `${path}.${randomHex(6)}.tmp`;
  try {
    writeFileSync(temp, content);
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    // Name the file being written, not its temp, in what the user reads.
    if ((error as NodeJS.ErrnoException).path === temp) (error as NodeJS.ErrnoException).path = path;
    throw error;
  }
}

/** Directories between `root` and `dir` that do not exist yet, outermost first. */
export function missingDirs(root: string, dir: string): string[] {
  const missing: string[] = [];
  for (let current = dir; current.length > root.length && !exists(current); current = dirname(current)) {
    missing.unshift(current);
  }
  return missing;
}

/** Creates each directory (outermost first), so a failure names the directory that failed. */
export function makeDirs(dirs: string[]): void {
  for (const dir of dirs) {
    try {
      mkdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') mkdirSync(dir, { recursive: true });
      else if (code !== 'EEXIST') throw error;
    }
  }
}

/** Removes the given directories, innermost first, where they are empty. */
export function removeEmptyDirs(dirs: string[]): void {
  for (const dir of [...dirs].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (someone else's file) or gone: leave it.
    }
  }
}

/** Removes temp files a killed write left beside `path`. */
export function removeTemps(path: string): void {
  const name = basename(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const other of names) {
    if (other.startsWith(`${name}.`) && TEMP.test(other) && other.length === name.length + 17) {
      rmSync(join(dirname(path), other), { force: true });
    }
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Removes a file, then the directories it leaves empty up to (not including) `stop`. */
export function removeFile(path: string, stop: string[]): void {
  rmSync(path, { force: true });
  for (
    let dir = dirname(path);
    !stop.includes(dir) && dir.length > Math.min(...stop.map((s) => s.length));
    dir = dirname(dir)
  ) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}
