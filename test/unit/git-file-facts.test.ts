import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGitFileFacts } from '../../src/team/git-status-files.js';
import { git, gitdir, writeTree } from '../helpers/gitdir.js';

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
});
