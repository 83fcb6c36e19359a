import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readGitFileFacts,
  readGitListing,
  startGitListing,
  takeGitListing,
} from '../../src/team/git-status-files.js';
import { loggingGit } from '../helpers/git-calls.js';
import { git, gitdir, tempDir, writeTree } from '../helpers/gitdir.js';

const path = process.env.PATH;
afterEach(() => {
  process.env.PATH = path;
});

/** Counts the git processes started from here on (test/helpers/git-calls.ts). */
function countGit(): () => string[] {
  const git = loggingGit(path ?? '');
  process.env.PATH = `${git.dir}:${path}`;
  return git.calls;
}

describe('readGitFileFacts', () => {
  it('lists the index with HEAD, and the untracked files git would take', async () => {
    const repo = gitdir({ 'a.txt': 'a\n', 'gone.txt': 'g\n', '.gitignore': 'build/\n' });
    git(repo, 'rm', '-q', '--cached', 'gone.txt');
    writeTree(repo, { 'staged.txt': 's\n', 'new.txt': 'n\n', 'build/out.js': 'x\n' });
    git(repo, 'add', 'staged.txt');
    const facts = await readGitFileFacts(repo);
    expect(facts.tracked).toEqual(['.gitignore', 'a.txt', 'gone.txt', 'staged.txt']);
    expect(facts.untrackedNotIgnored.sort()).toEqual(['gone.txt', 'new.txt']);
    expect(facts.claudeMdIgnored).toBe(false);
  });

  it("lists HEAD's tree when the branch's ref is packed", async () => {
    const repo = gitdir({ 'a.txt': 'a\n', 'gone.txt': 'g\n' });
    git(repo, 'pack-refs', '--all');
    git(repo, 'rm', '-q', '--cached', 'gone.txt');
    expect((await readGitFileFacts(repo)).tracked).toEqual(['a.txt', 'gone.txt']);
  });

  it('a fresh repository without a commit has an empty HEAD', async () => {
    const repo = gitdir();
    writeTree(repo, { 'x.md': 'x\n' });
    const facts = await readGitFileFacts(repo);
    expect(facts.tracked).toEqual([]);
    expect(facts.untrackedNotIgnored).toEqual(['x.md']);
  });

  it('says CLAUDE.md is ignored whether it is on disk or not, and not once git tracks it', async () => {
    const repo = gitdir({ '.gitignore': 'CLAUDE.md\n' });
    expect((await readGitFileFacts(repo)).claudeMdIgnored).toBe(true);
    writeTree(repo, { 'CLAUDE.md': '# team\n' });
    expect((await readGitFileFacts(repo)).claudeMdIgnored).toBe(true);
    git(repo, 'add', '-f', 'CLAUDE.md');
    expect((await readGitFileFacts(repo)).claudeMdIgnored).toBe(false);
  });

  it('an unignored CLAUDE.md, present or not, is not ignored', async () => {
    const repo = gitdir({ 'README.md': '# r\n' });
    expect((await readGitFileFacts(repo)).claudeMdIgnored).toBe(false);
    writeTree(repo, { 'CLAUDE.md': '# team\n' });
    expect((await readGitFileFacts(repo)).claudeMdIgnored).toBe(false);
    rmSync(join(repo, 'CLAUDE.md'));
    writeTree(repo, { 'CLAUDE.md/inner.md': 'a folder of that name\n' });
    expect((await readGitFileFacts(repo)).claudeMdIgnored).toBe(false);
  });

  it('one git process lists a repository whose index has all of HEAD', async () => {
    const repo = gitdir({ 'a.txt': 'a\n', 'pkg/CLAUDE.md': '# p\n', '.gitignore': 'build/\n' });
    writeTree(repo, { 'new.txt': 'n\n', 'build/out.js': 'x\n' });
    const calls = countGit();
    const listing = await readGitListing(repo);
    expect(calls()).toHaveLength(1);
    expect(listing).toEqual({
      index: ['.gitignore', 'a.txt', 'pkg/CLAUDE.md'],
      untracked: ['new.txt'],
      headOnly: [],
    });
  });

  it('a staged deletion is told apart from the index: HEAD still has it, the index does not', async () => {
    const repo = gitdir({ 'a.txt': 'a\n', 'CLAUDE.md': '# team\n' });
    git(repo, 'rm', '-q', '--cached', 'CLAUDE.md');
    writeTree(repo, { '.gitignore': 'CLAUDE.md\n' });
    const listing = await readGitListing(repo);
    expect(listing.index).toEqual(['a.txt']);
    expect(listing.headOnly).toEqual(['CLAUDE.md']);
    const facts = await readGitFileFacts(repo);
    expect(facts.tracked).toEqual(['CLAUDE.md', 'a.txt']);
    // Ignored from the next commit on, as the index says.
    expect(facts.claudeMdIgnored).toBe(true);
  });

  it('a path in conflict is in the index, once', async () => {
    const repo = gitdir({ 'f.txt': 'base\n', 'other.txt': 'o\n' });
    git(repo, 'checkout', '-qb', 'theirs');
    writeTree(repo, { 'f.txt': 'theirs\n' });
    git(repo, 'commit', '-qam', 'theirs');
    git(repo, 'checkout', '-q', '-');
    writeTree(repo, { 'f.txt': 'ours\n' });
    git(repo, 'commit', '-qam', 'ours');
    expect(() => git(repo, 'merge', '-q', 'theirs')).toThrow();
    const listing = await readGitListing(repo);
    expect([...new Set(listing.index)]).toEqual(['f.txt', 'other.txt']);
    expect(listing.headOnly).toEqual([]);
    expect((await readGitFileFacts(repo)).tracked).toEqual(['f.txt', 'other.txt']);
  });

  it('fails as git does outside a repository', async () => {
    await expect(readGitListing(tempDir())).rejects.toThrow(/not a git repository/);
  });

  it('a listing started ahead is taken once; the next one lists again', async () => {
    const repo = gitdir({ 'a.txt': 'a\n' });
    const calls = countGit();
    startGitListing(repo);
    startGitListing(repo);
    expect((await takeGitListing(repo)).index).toEqual(['a.txt']);
    expect(calls()).toHaveLength(1);
    writeTree(repo, { 'later.txt': 'l\n' });
    expect((await takeGitListing(repo)).untracked).toEqual(['later.txt']);
    expect(calls()).toHaveLength(2);
  });
});
