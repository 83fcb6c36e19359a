import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, sep } from 'node:path';
import { relativePath } from '../io/store-trust.js';

/**
 * Every file the hook writes or deletes lives in the audit directory, which an agent can write
 * too. A link planted there (the day file pointing at spine-policy.json, `.cursor` pointing out
 * of the repository) must never be written through: every directory from `root` down is checked
 * with lstat (created when missing, never through a link), and files are opened with O_NOFOLLOW
 * (and O_NONBLOCK, so a FIFO in a file's place cannot hang the hook). A link is reported as an
 * error and left where it is.
 */
const { O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_WRONLY } = constants;

export class PlantedLinkError extends Error {}

/** Checks (and with `create`, makes) every directory from `root` (exclusive) down to `dir`: no links. */
export function containedDir(root: string, dir: string, create: boolean): void {
  const rel = relativePath(root, dir);
  if (rel.startsWith('..')) throw new PlantedLinkError(`${dir} is outside ${root}; not written`);
  let at = root;
  for (const part of rel ? rel.split(sep) : []) {
    at = `${at}/${part}`;
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw error;
      try {
        mkdirSync(at);
        continue;
      } catch (raced) {
        // Another hook process of the same session made it first: check what is there now.
        if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
        stat = lstatSync(at);
      }
    }
    if (stat.isSymbolicLink())
      throw new PlantedLinkError(`${at} is a symlink; left alone, nothing written through it`);
    if (!stat.isDirectory()) throw new Error(`${at} is not a directory`);
  }
}

/** Opens a file for writing with no link followed; it must be a regular file. */
export function openContained(file: string, flags: number): number {
  let fd: number;
  try {
    fd = openSync(file, flags | O_NOFOLLOW | O_NONBLOCK, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK')
      throw new PlantedLinkError(`${file} is a symlink; left alone, nothing written through it`);
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new Error(`${file} is not a regular file; nothing written`);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

function writeAll(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
}

/**
 * Appends one line with a single write(2) on a file opened O_APPEND. On local filesystems the
 * kernel serialises O_APPEND writes to a regular file, so lines from concurrent processes
 * (parallel tool calls, subagents, two sessions) never interleave or tear, whatever their size.
 * A short write is finished in a loop; it only happens when the disk is full or on a signal.
 * `root` is where the containment check starts (the project, for an audit directory inside it).
 */
export function appendLine(file: string, line: string, root = dirname(file)): void {
  const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
  containedDir(root, dirname(file), true);
  const fd = openContained(file, O_WRONLY | O_APPEND | O_CREAT);
  try {
    writeAll(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Writes a whole file atomically (a fresh temp file, then rename over the name), no link followed. */
export function replaceFile(root: string, file: string, data: string): void {
  containedDir(root, dirname(file), true);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openContained(tmp, O_WRONLY | O_CREAT | O_EXCL);
  try {
    writeAll(fd, Buffer.from(data, 'utf8'));
  } finally {
    closeSync(fd);
  }
  // rename(2) replaces the name itself, never what a link there points at.
  renameSync(tmp, file);
}

/** Creates an empty file that must not exist yet (a marker, a lock). */
export function createFile(root: string, file: string): void {
  containedDir(root, dirname(file), true);
  closeSync(openContained(file, O_WRONLY | O_CREAT | O_EXCL));
}

/** Removes a file the hook wrote; a link in its place is reported and left alone. False if absent. */
export function removeFile(root: string, file: string): boolean {
  containedDir(root, dirname(file), false);
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(file);
  } catch {
    return false;
  }
  if (stat.isSymbolicLink()) throw new PlantedLinkError(`${file} is a symlink; left alone`);
  unlinkSync(file);
  return true;
}

/** Removes an empty directory the hook made; rmdir(2) never follows a link. */
export function removeDir(root: string, dir: string): void {
  containedDir(root, dir, false);
  rmdirSync(dir);
}
