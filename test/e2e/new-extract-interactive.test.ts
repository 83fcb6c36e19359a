import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, read, tempDir } from '../helpers/gitdir.js';
import { GIT_ENV, newSpineRepo, pioneerRepo } from '../helpers/pioneers.js';
import { HAS_SCRIPT, runOnTerminal } from '../helpers/terminal.js';

/** At a terminal, spine new asks for what its flags do not give, and extract lets people tick. */
describe.skipIf(!HAS_SCRIPT)('spine new and extract on a terminal', () => {
  it('spine new asks for the name, owners, starting point and first tag', async () => {
    const parent = tempDir();
    const result = await runOnTerminal(
      parent,
      ['new', 'platform'],
      [
        [/Spine name/, ''],
        [/Owners/, '@acme/platform @acme/sec'],
        [/Start from/, ''],
        [/first release/, 'y'],
      ],
      GIT_ENV,
    );
    expect(result.code, result.output).toBe(0);
    const dir = join(parent, 'platform');
    expect(read(dir, 'spine.yaml')).toMatch(/name: platform\n[\s\S]*- "@acme\/platform"\n {2}- "@acme\/sec"/);
    expect(git(dir, 'tag', '--list')).toBe('v0.1.0');
  });

  it('spine extract --interactive takes only what is ticked', async () => {
    const spine = await newSpineRepo();
    const pioneer = pioneerRepo('biome');
    // Space unticks the first proposal (the biome-code-review skill); Enter confirms.
    const result = await runOnTerminal(
      tempDir(),
      ['extract', pioneer, '--into', spine, '--interactive'],
      [[/Take into the spine/, ' ']],
      GIT_ENV,
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('## Not ticked (1)');
    expect(git(spine, 'ls-tree', '-r', '--name-only', 'spine-extract/biome', 'skills/')).not.toContain(
      'biome-code-review',
    );
    expect(git(spine, 'ls-tree', '-r', '--name-only', 'spine-extract/biome', 'skills/')).toContain(
      'skills/changeset/SKILL.md',
    );
  });
});
