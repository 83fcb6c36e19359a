import { existsSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLock } from '../../src/spine/sources/cache-lock.js';
import { tempDir } from '../helpers/gitdir.js';

describe('cache lock', () => {
  it('runs holders one at a time and removes the lock after', async () => {
    const lock = join(tempDir(), 'x.lock');
    let inside = 0;
    let most = 0;
    const work = () =>
      withLock(lock, async () => {
        inside++;
        most = Math.max(most, inside);
        await new Promise((r) => setTimeout(r, 30));
        inside--;
      });
    await Promise.all([work(), work(), work()]);
    expect(most).toBe(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose holder is gone, or which is old', async () => {
    const dir = tempDir();
    const dead = join(dir, 'dead.lock');
    writeFileSync(dead, '999999999\n'); // no such process
    expect(await withLock(dead, async () => 'ran')).toBe('ran');

    const old = join(dir, 'old.lock');
    writeFileSync(old, `${process.pid}\n`); // alive, but stuck for an hour
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(old, anHourAgo, anHourAgo);
    expect(await withLock(old, async () => 'ran')).toBe('ran');
  });

  it('releases the lock when the work fails', async () => {
    const lock = join(tempDir(), 'x.lock');
    await expect(withLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });
});
