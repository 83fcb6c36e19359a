import { mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dropMaskedNamesBlock,
  keepMaskedNamesOutOfGit,
  MASKED_NAMES,
  withSpineBlock,
} from '../../src/hooks/git-exclude.js';
import { git, gitdir, tempDir } from '../helpers/gitdir.js';

describe('spine block in .git/info/exclude', () => {
  it('sets, replaces and removes only its own block', () => {
    const team = '# team\n*.log\n';
    const once = withSpineBlock(team, ['/.bashrc']);
    expect(once.startsWith(team)).toBe(true);
    expect(withSpineBlock(once, ['/.bashrc'])).toBe(once);
    expect(withSpineBlock(`${once}after\n`, ['/.idea'])).toBe(
      `${team}after\n${withSpineBlock('', ['/.idea'])}`,
    );
    expect(withSpineBlock(once, [])).toBe(team);
  });

  it('lists the missing names only, keeps the team’s lines, is idempotent', () => {
    const repo = gitdir({ '.vscode/settings.json': '{}\n', '.bashrc': 'real\n' });
    writeFileSync(join(repo, '.git/info/exclude'), '*.team\n');
    const warnings: string[] = [];
    keepMaskedNamesOutOfGit(repo, (m) => warnings.push(m));
    const first = readFileSync(join(repo, '.git/info/exclude'), 'utf8');
    expect(first.startsWith('*.team\n')).toBe(true);
    expect(first).not.toMatch(/^\/\.vscode$|^\/\.bashrc$/m);
    for (const name of MASKED_NAMES.filter((n) => n !== '.vscode' && n !== '.bashrc'))
      expect(first).toContain(`/${name}\n`);
    keepMaskedNamesOutOfGit(repo, (m) => warnings.push(m));
    expect(readFileSync(join(repo, '.git/info/exclude'), 'utf8')).toBe(first);
    expect(warnings).toEqual([]);
  });

  it('leaves a planted link alone and says so', () => {
    const repo = gitdir({ 'README.md': 'x\n' });
    const outside = join(tempDir(), 'victim');
    writeFileSync(outside, 'untouched\n');
    const exclude = join(repo, '.git/info/exclude');
    unlinkSync(exclude);
    symlinkSync(outside, exclude);
    const warnings: string[] = [];
    keepMaskedNamesOutOfGit(repo, (m) => warnings.push(m));
    expect(readFileSync(outside, 'utf8')).toBe('untouched\n');
    expect(warnings.join('\n')).toMatch(/link or not a file; left alone/);
  });

  it('a linked worktree (.git is a file) writes the shared exclude, with the launch subdirectory', () => {
    const repo = gitdir({ 'README.md': 'x\n' });
    const wt = join(tempDir(), 'wt');
    git(repo, 'worktree', 'add', '-q', wt, '-b', 'side');
    mkdirSync(join(wt, 'pkg'));
    keepMaskedNamesOutOfGit(join(wt, 'pkg'), () => {});
    expect(readFileSync(join(repo, '.git/info/exclude'), 'utf8')).toContain('/pkg/.mcp.json\n');
  });
});

describe('spine remove takes the block out of .git/info/exclude', () => {
  it("drops spine's block, keeps the team's lines, and leaves a file without one alone", () => {
    const repo = gitdir({ 'README.md': 'x\n' });
    const exclude = join(repo, '.git/info/exclude');
    writeFileSync(exclude, '*.team\n');
    keepMaskedNamesOutOfGit(repo, () => {});
    expect(readFileSync(exclude, 'utf8')).not.toBe('*.team\n');
    expect(dropMaskedNamesBlock(repo, () => {})).toBe(true);
    expect(readFileSync(exclude, 'utf8')).toBe('*.team\n');
    writeFileSync(exclude, '*.team\n\n');
    expect(dropMaskedNamesBlock(repo, () => {})).toBe(false);
    expect(readFileSync(exclude, 'utf8')).toBe('*.team\n\n');
  });
});
