import { describe, expect, it } from 'vitest';
import { baseOptions } from '../../src/cli.js';
import { init } from '../../src/commands/init/index.js';
import { gitdir, snapshot } from '../helpers/gitdir.js';

describe('init is all-or-nothing', () => {
  it('leaves the repo exactly as it was when a write fails mid-way', async () => {
    const repo = gitdir({
      '.claude/settings.json': '{ "permissions": { "allow": ["Bash(npm test)"] } }\n',
      'CLAUDE.md': '# Ours\n',
    });
    const before = snapshot(repo);
    const options = {
      ...baseOptions({ cwd: repo, yes: true }, { HOME: repo }, false),
      team: 't',
      champion: 'c',
      dryRun: false,
      offline: false,
    };
    let writes = 0;
    await expect(
      init(options, {
        beforeWrite: (_path, index) => {
          writes = index;
          if (index === 12) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(writes).toBe(12);
    expect(snapshot(repo)).toEqual(before);
  });
});
