import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockScript, docBlocks } from '../helpers/doc-blocks.js';
import { tempDir } from '../helpers/gitdir.js';

const doc = [
  '# Doc',
  '',
  '<!-- doc-test: here -->',
  '```sh',
  'cd . && echo one   # a comment does not hide the check',
  'false && echo never   # set -e alone lets this through',
  'echo not reached',
  '```',
  '',
  '```sh',
  'echo an unmarked block is not run',
  '```',
  '',
].join('\n');

describe('doc-test blocks', () => {
  it('finds the marked sh blocks and stops at the first line that fails, naming it', () => {
    const file = join(tempDir(), 'DOC.md');
    writeFileSync(file, doc);
    const blocks = docBlocks(file, 'DOC.md');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ at: 'DOC.md:3', dir: 'here' });
    const result = spawnSync('bash', ['-c', blockScript(blocks[0]!, 'DOC.md')], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('one\n');
    expect(result.stderr).toContain('doc-test: DOC.md:6 failed (exit 1)');
  });

  it('refuses a marker that is not followed by an sh block', () => {
    const file = join(tempDir(), 'DOC.md');
    writeFileSync(file, '<!-- doc-test: . -->\n```bash\ntrue\n```\n');
    expect(() => docBlocks(file, 'DOC.md')).toThrow('DOC.md:1: a doc-test marker must precede');
  });
});
