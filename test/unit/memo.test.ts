import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoJson, readMemo } from '../../src/io/memo.js';
import { tempDir } from '../helpers/gitdir.js';

describe('memo', () => {
  it('computes once per key, then answers from the cache directory', async () => {
    const cache = tempDir('spine-memo-');
    let runs = 0;
    const compute = async () => ({ runs: ++runs });
    expect(await memoJson(cache, 'spine', 'k1', compute)).toEqual({ runs: 1 });
    expect(await memoJson(cache, 'spine', 'k1', compute)).toEqual({ runs: 1 });
    expect(readMemo(cache, 'spine', 'k1')).toEqual({ value: { runs: 1 } });
    expect(await memoJson(cache, 'spine', 'k2', compute)).toEqual({ runs: 2 });
  });

  it('keeps at most 256 entries of a kind, the newest, and forgets one not written for a month', async () => {
    const cache = tempDir('spine-memo-');
    const dir = join(cache, 'memo', 'settings');
    mkdirSync(dir, { recursive: true });
    const hourAgo = Date.now() - 60 * 60 * 1000;
    for (let i = 0; i < 300; i++) {
      const file = join(dir, `old-${String(i).padStart(3, '0')}.json`);
      writeFileSync(file, '{}');
      // Entry i was written i seconds before an hour ago: the higher, the older.
      const at = new Date(hourAgo - i * 1000);
      utimesSync(file, at, at);
    }
    const monthAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    utimesSync(join(dir, 'old-000.json'), monthAgo, monthAgo);
    // Not an entry: left alone.
    writeFileSync(join(dir, 'notes.txt'), 'x');

    await memoJson(cache, 'settings', 'fresh', async () => 1);
    const left = readdirSync(dir);
    expect(left).toContain('fresh.json');
    expect(left).toContain('notes.txt');
    expect(left).not.toContain('old-000.json');
    const kept = left.filter((n) => n.startsWith('old-')).sort();
    expect(kept).toHaveLength(255);
    // The newest of the old ones stay (old-000 aside, which a month took).
    expect(kept[0]).toBe('old-001.json');
    expect(kept.at(-1)).toBe('old-255.json');
    // Another kind is not swept by this one.
    expect(await memoJson(cache, 'lock', 'x', async () => 2)).toBe(2);
    expect(readdirSync(join(cache, 'memo', 'lock'))).toEqual(['x.json']);
  });
});
