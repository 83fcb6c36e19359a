import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/sha256.js';
import { withDigestMemo } from '../../src/io/digest-memo.js';
import { tempDir } from '../helpers/gitdir.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const memoFile = (cache: string) => {
  const dir = join(cache, 'memo', 'digests');
  return join(dir, readdirSync(dir)[0]!);
};

describe('the digest memo', () => {
  it('keeps what a run computed and gives it back, for exactly those bytes', async () => {
    const cache = tempDir('spine-digest-memo-');
    await withDigestMemo(cache, '/repo', async () => expect(sha256Hex('a\nb\n')).toBe(sha('a\nb\n')));
    // What the next run takes is the file's: plant another digest to see that it is read.
    const file = memoFile(cache);
    const planted = readFileSync(file);
    planted.write('0'.repeat(64), planted.length - 64, 'latin1');
    writeFileSync(file, planted);
    await withDigestMemo(cache, '/repo', async () => {
      expect(sha256Hex('a\nb\n')).toBe('0'.repeat(64));
      // Same length, same ends, other bytes: computed.
      expect(sha256Hex('a\nc\n')).toBe(sha('a\nc\n'));
    });
    // Outside a run, nothing is taken from it.
    expect(sha256Hex('a\nb\n')).toBe(sha('a\nb\n'));
  });

  it('another place keeps its own; a malformed file is no memo at all', async () => {
    const cache = tempDir('spine-digest-memo-');
    await withDigestMemo(cache, '/one', async () => sha256Hex('x'));
    await withDigestMemo(cache, '/two', async () => sha256Hex('y'));
    expect(readdirSync(join(cache, 'memo', 'digests'))).toHaveLength(2);
    for (const junk of [
      Buffer.from('spine-digests-1\n\xff\xff\xff\xff', 'latin1'),
      Buffer.from('nonsense'),
    ]) {
      const dir = tempDir('spine-digest-memo-');
      await withDigestMemo(dir, '/repo', async () => sha256Hex('z'));
      writeFileSync(memoFile(dir), junk);
      await withDigestMemo(dir, '/repo', async () => expect(sha256Hex('z')).toBe(sha('z')));
    }
  });

  it('keeps the most recent places only, and forgets one not run in for a month', async () => {
    const cache = tempDir('spine-digest-memo-');
    await withDigestMemo(cache, '/old', async () => sha256Hex('old'));
    const dir = join(cache, 'memo', 'digests');
    const [old] = readdirSync(dir);
    const monthAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    utimesSync(join(dir, old!), monthAgo, monthAgo);
    await withDigestMemo(cache, '/new', async () => sha256Hex('new'));
    expect(readdirSync(dir)).not.toContain(old);
    for (let i = 0; i < 70; i++)
      await withDigestMemo(cache, `/checkout-${i}`, async () => sha256Hex(`x${i}`));
    expect(readdirSync(dir)).toHaveLength(64);
  });

  it('without a cache directory, or with one everyone may write, only computes', async () => {
    await withDigestMemo(undefined, '/repo', async () => expect(sha256Hex('q')).toBe(sha('q')));
    const cache = tempDir('spine-digest-memo-');
    mkdirSync(join(cache, 'memo'), { mode: 0o777 });
    chmodSync(join(cache, 'memo'), 0o777);
    await withDigestMemo(cache, '/repo', async () => expect(sha256Hex('q')).toBe(sha('q')));
    expect(() => readdirSync(join(cache, 'memo', 'digests'))).toThrow();
  });
});

describe('node:crypto in the CLI', () => {
  it('is imported by core/sha256.ts alone, so a run that computes no digest never loads it', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const importers = (readdirSync(src, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.startsWith('hooks/') && f !== 'core/sha256.ts')
      .filter((f) =>
        /from 'node:crypto'|require\('node:crypto'\)|import\('node:crypto'\)/.test(
          readFileSync(join(src, f), 'utf8'),
        ),
      );
    expect(importers).toEqual([]);
    // sha256.ts names it only in a type and in its lazy require.
    expect(readFileSync(join(src, 'core/sha256.ts'), 'utf8')).toContain(
      "createRequire(import.meta.url)('node:crypto')",
    );
  });
});
