import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../../io/git.js';
import { type ModedChange, writeChanges } from '../shared/write-changes.js';
import { BRANCH_PREFIX, type InterruptedExtract } from './resume.js';

/** The first path with uncommitted changes (tracked or untracked), or undefined when clean. */
export async function dirtyPath(dir: string): Promise<string | undefined> {
  const status = await git(dir, ['status', '--porcelain', '-z', '--untracked-files=all']);
  const first = status.split('\0').find(Boolean);
  return first?.slice(3);
}

/**
 * The extraction as one commit on a new branch, never the default branch: the platform team
 * reviews it as a pull request. The work tree returns to the branch it was on, so the next
 * commit or release tag does not land on the proposal by accident. On any failure the
 * repository is put back as it was.
 */
export async function commitOnBranch(
  dir: string,
  teams: string[],
  changes: ModedChange[],
  summary: string,
  stateDir: string,
  resume?: InterruptedExtract,
): Promise<{ branch: string; commit: string; returnedTo?: string }> {
  // Killed after its commit: only the return to the branch it started on is left to do.
  if (resume?.committed) {
    await git(dir, ['checkout', '-q', resume.original]);
    return { branch: resume.branch, commit: resume.committed.commit, returnedTo: resume.original };
  }
  const original = resume
    ? resume.original
    : await git(dir, ['symbolic-ref', '-q', '--short', 'HEAD']).catch(() => undefined);
  const branch = resume?.branch ?? (await freeBranch(dir, branchBase(teams)));
  const created = changes.filter((c) => c.action === 'create').map((c) => c.path);
  if (!resume) await git(dir, ['checkout', '-q', '-b', branch]);
  try {
    // A resumed run's transaction finishes or rolls back what the killed one left, then writes.
    await writeChanges(dir, changes, 'extract', stateDir);
    await git(dir, ['add', '--', ...changes.map((c) => c.path)]);
    await git(dir, [
      'commit',
      '-q',
      '--no-verify',
      '-m',
      commitSubject(teams),
      '-m',
      `${summary}. Proposed by spine extract: write each guardrail's why and review the glossary terms before merging.`,
    ]);
    const commit = await git(dir, ['rev-parse', 'HEAD']);
    if (original) await git(dir, ['checkout', '-q', original]);
    return { branch, commit, returnedTo: original };
  } catch (error) {
    await git(dir, ['reset', '-q', '--hard']).catch(() => undefined);
    for (const path of created) rmSync(join(dir, path), { force: true });
    if (original) await git(dir, ['checkout', '-q', original]).catch(() => undefined);
    await git(dir, ['branch', '-q', '-D', branch]).catch(() => undefined);
    throw error;
  }
}

export function commitSubject(teams: string[]): string {
  return `Extract the shared layer from ${teams.join(', ')}`;
}

/** The name extract's branch starts from: the teams it takes from. */
export function branchBase(teams: string[]): string {
  return `${BRANCH_PREFIX}${teams.map(slug).join('-').slice(0, 60) || 'pioneers'}`;
}

async function freeBranch(dir: string, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const exists = await git(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]).then(
      () => true,
      () => false,
    );
    if (!exists) return name;
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
