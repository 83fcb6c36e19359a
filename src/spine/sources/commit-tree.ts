import { posix } from 'node:path';
import { GIT_EXECUTABLE } from '../../core/file-mode.js';
import { type Problem, problem } from '../../core/problems.js';
import { memoJson, memoKey, readMemo } from '../../io/memo.js';
import type { SpineTree } from '../tree.js';
import { runGit } from './git.js';

interface Entry {
  mode: string;
  type: string;
  oid: string;
  path: string;
}

/**
 * Reads every file of a commit (never a work tree): one `ls-tree`, one `cat-file --batch`.
 * Symlinks are followed inside the spine; one that leaves it, or leads nowhere, is a problem.
 */
export async function readCommitTree(gitDir: string, commit: string, label: string): Promise<SpineTree> {
  const listed = await runGit(gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  if (listed.exitCode !== 0) throw new Error(`cannot list ${commit}: ${listed.stderr.trim()}`);
  const entries = parseLsTree(listed.stdout.toString('utf8'));
  const blobs = entries.filter((e) => e.type === 'blob');
  const contents = await catBlobs(gitDir, [...new Set(blobs.map((e) => e.oid))]);

  const files = new Map<string, Buffer>();
  const executable = new Set<string>();
  const links = new Map<string, string>();
  for (const e of blobs) {
    const content = contents.get(e.oid)!;
    if (e.mode === '120000') links.set(e.path, content.toString('utf8'));
    else files.set(e.path, content);
    if (e.mode === GIT_EXECUTABLE) executable.add(e.path);
  }
  const problems: Problem[] = [];
  for (const [path, target] of links) {
    const resolved = followLink(path, target, links);
    if (resolved === undefined) {
      problems.push(
        problem('symlink-escape', 'symlink points outside the spine', { file: `${label}${path}` }),
      );
      continue;
    }
    const exact = files.get(resolved);
    const under = [...files.keys()].filter((p) => p.startsWith(`${resolved}/`));
    const copy = (from: string, to: string) => {
      files.set(to, files.get(from)!);
      if (executable.has(from)) executable.add(to);
    };
    if (exact) copy(resolved, path);
    else if (under.length > 0) for (const p of under) copy(p, `${path}${p.slice(resolved.length)}`);
    else
      problems.push(
        problem('symlink-escape', `symlink target "${target}" is not in the spine`, {
          file: `${label}${path}`,
        }),
      );
  }
  return { label, files, executable, problems };
}

export function parseLsTree(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const record of text.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    entries.push({ mode: mode!, type: type!, oid: oid!, path: record.slice(tab + 1) });
  }
  return entries;
}

/** The spine-relative path a symlink resolves to, or undefined when it leaves the spine. */
export function followLink(path: string, target: string, links: Map<string, string>): string | undefined {
  let current = path;
  let to = target;
  for (let hop = 0; hop < 16; hop++) {
    if (posix.isAbsolute(to)) return undefined;
    const resolved = posix.normalize(posix.join(posix.dirname(current), to));
    if (resolved === '..' || resolved.startsWith('../')) return undefined;
    const next = links.get(resolved);
    if (next === undefined) return resolved === '.' ? undefined : resolved;
    current = resolved;
    to = next;
  }
  return undefined;
}

export async function catBlobs(gitDir: string, oids: string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (oids.length === 0) return out;
  const result = await runGit(gitDir, ['cat-file', '--batch'], `${oids.join('\n')}\n`);
  if (result.exitCode !== 0) throw new Error(`cannot read blobs: ${result.stderr.trim()}`);
  const buf = result.stdout;
  let offset = 0;
  while (offset < buf.length) {
    const newline = buf.indexOf(0x0a, offset);
    const [oid, type, size] = buf.subarray(offset, newline).toString('utf8').split(' ');
    if (type === 'missing' || size === undefined) throw new Error(`object ${oid} is missing`);
    const start = newline + 1;
    const end = start + Number(size);
    out.set(oid!, Buffer.from(buf.subarray(start, end)));
    offset = end + 1;
  }
  return out;
}

/** Spines larger than this (all files together) are not memoised. */
const MAX_MEMO_BYTES = 4 * 1024 * 1024;

/** A commit's tree as the memo keeps it: file contents in base64. */
interface StoredTree {
  label: string;
  files: [string, string][];
  executable: string[];
  problems: Problem[];
}

/**
 * readCommitTree, memoised by the commit: a commit's files never change, so doctor, facts and
 * every later command read the locked commit from the memo, with no git process. Content comes
 * from the memo as it comes from a cached clone: the cache directory only the person's own spine
 * writes (io/memo.ts).
 */
export async function readCommitTreeCached(
  gitDir: string,
  commit: string,
  label: string,
  cacheDir: string | undefined,
): Promise<SpineTree> {
  if (!cacheDir || !/^[0-9a-f]{40,64}$/.test(commit)) return readCommitTree(gitDir, commit, label);
  const key = memoKey(label, commit);
  const stored = readMemo<StoredTree>(cacheDir, 'commit-tree', key)?.value;
  if (stored) {
    return {
      label: stored.label,
      files: new Map(stored.files.map(([path, content]) => [path, Buffer.from(content, 'base64')])),
      executable: new Set(stored.executable),
      problems: stored.problems,
    };
  }
  const tree = await readCommitTree(gitDir, commit, label);
  // A spine with large files (media, archives) is read from git each time: parsing a memo of
  // many megabytes of base64 would cost more than the git processes it saves.
  let bytes = 0;
  for (const content of tree.files.values()) bytes += content.length;
  if (bytes <= MAX_MEMO_BYTES) {
    await memoJson<StoredTree>(cacheDir, 'commit-tree', key, async () => ({
      label: tree.label,
      files: [...tree.files].map(([path, content]) => [path, content.toString('base64')]),
      executable: [...tree.executable],
      problems: tree.problems,
    }));
  }
  return tree;
}
