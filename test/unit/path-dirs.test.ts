import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathDirs, personPathDirs } from '../../src/io/path-dirs.js';
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

  it('leaves out the node_modules/.bin entries npm run and npm exec put in front for their command, and only those', () => {
    const root = tempDir('spine-path-npm-');
    const PATH = `${join(root, 'node_modules/.bin')}:${join(root, '.cache/bin')}:/usr/bin`;
    const npmRun = personPathDirs({ PATH, npm_lifecycle_event: 'doctor' }, root).map((d) => d.dir);
    expect(npmRun).toEqual([join(root, '.cache/bin'), '/usr/bin']);
    expect(personPathDirs({ PATH, npm_command: 'exec' }, root).map((d) => d.dir)).toEqual(npmRun);
    // Outside npm, a node_modules/.bin on PATH is the person's own (direnv, a shell profile).
    expect(personPathDirs({ PATH }, root).map((d) => d.dir)).toEqual([
      join(root, 'node_modules/.bin'),
      join(root, '.cache/bin'),
      '/usr/bin',
    ]);
  });
});
