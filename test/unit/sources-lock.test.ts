import { spawn } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { processStart } from '../../src/io/transaction/holder.js';
import { acquireLockFile } from '../../src/io/transaction/lock-file.js';
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

describe('lock liveness (cache and repo locks alike)', () => {
  const sleeper = () => spawn('sleep', ['30'], { stdio: 'ignore' });

  it('takes over an empty lock at once (a kill between create and write left it)', async () => {
    const lock = join(tempDir(), 'x.lock');
    writeFileSync(lock, '');
    const started = Date.now();
    expect(await withLock(lock, async () => 'ran')).toBe('ran');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('takes over a dead holder at once, and a live pid whose start time differs (pid reused)', async () => {
    const dir = tempDir();
    const child = sleeper();
    const start = processStart(child.pid!);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    writeFileSync(join(dir, 'dead.lock'), JSON.stringify({ pid: child.pid, start }));
    expect(await withLock(join(dir, 'dead.lock'), async () => 'ran')).toBe('ran');

    writeFileSync(join(dir, 'reused.lock'), JSON.stringify({ pid: process.pid, start: 1 }));
    expect(await withLock(join(dir, 'reused.lock'), async () => 'ran')).toBe('ran');
  });

  it('waits for a live holder, then gives up with exit 2 naming it', async () => {
    const lock = join(tempDir(), 'x.lock');
    const child = sleeper();
    try {
      writeFileSync(
        lock,
        JSON.stringify({ pid: child.pid, start: processStart(child.pid!), command: 'update' }),
      );
      const error = await acquireLockFile(lock, { waitMs: 300, guards: 'the spine cache' }).catch((e) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(
        `the spine cache is locked by another spine process, "spine update" (pid ${child.pid}); wait for it to finish, or remove the lock file if that process is not spine`,
      );
      expect(readFileSync(lock, 'utf8')).toContain(`"pid":${child.pid}`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
