import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCommitTree, readCommitTreeCached } from '../../src/spine/sources/commit-tree.js';
import { git, gitdir, tempDir } from '../helpers/gitdir.js';

describe('a commit tree memoised by its commit', () => {
  it('is read from git once, then from the memo, byte for byte and mode for mode', async () => {
    const repo = gitdir({
      'spine.yaml': 'name: s\nversion: 1.0.0\n',
      'skills/a/run.sh': '#!/bin/sh\n',
      'b.bin': '\u0000\u00ff',
    });
    git(repo, 'update-index', '--chmod=+x', 'skills/a/run.sh');
    git(repo, 'commit', '-q', '-m', 'x bit');
    const commit = git(repo, 'rev-parse', 'HEAD');
    const gitDir = join(repo, '.git');
    const cache = tempDir('spine-commit-memo-');
    const fresh = await readCommitTree(gitDir, commit, 'spine@main:');
    expect(await readCommitTreeCached(gitDir, commit, 'spine@main:', cache)).toEqual(fresh);
    // The repository gone: the commit's files still come back, from the memo.
    rmSync(repo, { recursive: true, force: true });
    const memoised = await readCommitTreeCached(gitDir, commit, 'spine@main:', cache);
    expect(memoised).toEqual(fresh);
    expect(memoised.executable).toEqual(new Set(['skills/a/run.sh']));
    // Another label (another source or ref naming the commit) is another entry: git is asked.
    await expect(readCommitTreeCached(gitDir, commit, 'other@v1:', cache)).rejects.toThrow();
  });

  it('is not kept for a spine of many megabytes: git reads it each time', async () => {
    const repo = gitdir({
      'spine.yaml': 'name: s\nversion: 1.0.0\n',
      'media/big.bin': 'x'.repeat(5 * 1024 * 1024),
    });
    const commit = git(repo, 'rev-parse', 'HEAD');
    const cache = tempDir('spine-commit-memo-');
    const tree = await readCommitTreeCached(join(repo, '.git'), commit, 'spine@main:', cache);
    expect(tree.files.get('media/big.bin')).toHaveLength(5 * 1024 * 1024);
    expect(existsSync(join(cache, 'memo', 'commit-tree'))).toBe(false);
  });
});
