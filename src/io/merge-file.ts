import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { throwIfGitMissing } from './git.js';

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

export interface MergeOutput {
  /** The merged text, exactly as git wrote it (final newline kept, markers included). */
  content: Buffer;
  /** git's exit code: the number of conflicts, capped; callers count regions by scanning markers. */
  exitCode: number;
}

/**
 * A three-way text merge by real `git merge-file` in diff3 style, with labels naming the
 * versions. The three sides are written to a private temp directory because merge-file only
 * reads files; git's index is never touched.
 */
export async function mergeFile(
  ours: Buffer,
  base: Buffer,
  theirs: Buffer,
  labels: MergeLabels,
  favour?: 'ours' | 'theirs',
): Promise<MergeOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'spine-merge-'));
  try {
    const paths = ['ours', 'base', 'theirs'].map((name) => join(dir, name));
    writeFileSync(paths[0]!, ours);
    writeFileSync(paths[1]!, base);
    writeFileSync(paths[2]!, theirs);
    const args = ['merge-file', '-p', '--diff3'];
    if (favour) args.push(`--${favour}`);
    args.push('-L', labels.ours, '-L', labels.base, '-L', labels.theirs, ...paths);
    const result = await execa('git', args, {
      reject: false,
      encoding: 'buffer',
      stripFinalNewline: false,
      env: { GIT_CONFIG_NOSYSTEM: '1' },
    });
    throwIfGitMissing(result);
    const exitCode = result.exitCode ?? -1;
    // A negative code (255 on POSIX) is an error, not a conflict count.
    if (exitCode < 0 || exitCode > 127) {
      const stderr = Buffer.from(result.stderr as Uint8Array).toString('utf8');
      throw new Error(`git merge-file failed: ${stderr.trim() || `exit ${exitCode}`}`);
    }
    return { content: Buffer.from(result.stdout as Uint8Array), exitCode };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A unified diff of one path before and after, by `git diff --no-index` (empty when equal). */
export async function diffFile(
  path: string,
  before: Buffer | undefined,
  after: Buffer | undefined,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'spine-diff-'));
  try {
    const side = (name: string, content: Buffer | undefined) => {
      if (content === undefined) return '/dev/null';
      const rel = join(name, path);
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content);
      return rel;
    };
    const args = ['diff', '--no-index', '--no-color', '--no-prefix', side('a', before), side('b', after)];
    const result = await execa('git', args, { cwd: dir, reject: false, stripFinalNewline: false });
    throwIfGitMissing(result);
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
