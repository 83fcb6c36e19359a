import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathDirs } from '../../src/io/path-dirs.js';
import { tempDir } from '../helpers/gitdir.js';

describe('pathDirs', () => {
  it('reads an empty or relative entry from the current directory, and a link as written and resolved', () => {
    const root = tempDir('spine-path-dirs-');
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    expect(pathDirs(`:bin:${join(root, 'link')}:/usr/bin`, root)).toEqual([
      { entry: '.', dir: root },
      { entry: 'bin', dir: join(root, 'bin') },
      { entry: join(root, 'link'), dir: join(root, 'link') },
      { entry: join(root, 'link'), dir: join(root, 'real') },
      { entry: '/usr/bin', dir: '/usr/bin' },
    ]);
    expect(pathDirs(undefined, root)).toEqual([]);
  });
});
