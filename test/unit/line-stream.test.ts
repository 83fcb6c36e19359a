import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../src/io/line-stream.js';
import { tempDir } from '../helpers/gitdir.js';

async function collect(file: string): Promise<string[]> {
  const out: string[] = [];
  // Each line is a view of a reused buffer: copy it before asking for the next.
  for await (const line of readLines(file)) out.push(line.toString('utf8'));
  return out;
}

describe('readLines', () => {
  // Lines longer than the buffer it starts with (8 MiB), short ones, empty ones, no final newline.
  const big = 'x'.repeat(9 << 20);
  const lines = ['first', big, '', 'ünïcödé', `${big}y`, 'last without newline'];
  const text = lines.join('\n');

  it.each([
    ['plain', (t: string) => Buffer.from(t)],
    ['gzip', (t: string) => gzipSync(t)],
  ])('%s: every line whole, in order', async (_kind, encode) => {
    const file = join(tempDir('spine-lines-'), 'logs');
    writeFileSync(file, encode(text));
    const got = await collect(file);
    expect(got.map((l) => l.length)).toEqual(lines.map((l) => l.length));
    expect(got).toEqual(lines);
  });

  it('a truncated gzip file yields its whole lines, then throws', async () => {
    const file = join(tempDir('spine-lines-'), 'cut.gz');
    const gz = gzipSync(Array.from({ length: 2000 }, (_, i) => `line ${i} ${'z'.repeat(500)}`).join('\n'));
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
    const got: string[] = [];
    await expect(async () => {
      for await (const line of readLines(file)) got.push(line.toString('utf8'));
    }).rejects.toThrow();
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((l, i) => l.startsWith(`line ${i} `))).toBe(true);
  });

  it.each([
    ['plain', (t: string) => Buffer.from(t)],
    ['gzip', (t: string) => gzipSync(t)],
  ])('%s: a line past the limit throws LINE_TOO_LONG after the lines before it', async (_kind, encode) => {
    const file = join(tempDir('spine-lines-'), 'long');
    writeFileSync(file, encode(`short\n${'y'.repeat(4096)}\n${'z'.repeat(3 << 20)}`));
    const got: string[] = [];
    const read = async () => {
      for await (const line of readLines(file, { maxLine: 1 << 20 })) got.push(line.toString('utf8'));
    };
    await expect(read()).rejects.toMatchObject({ code: 'LINE_TOO_LONG', message: 'longer than 1 MiB' });
    expect(got.map((l) => l.length)).toEqual([5, 4096]);
  });

  it('reads no further than the limit into a file with no newline at all', async () => {
    const read = async () => {
      for await (const _ of readLines('/dev/zero', { maxLine: 4 << 20 })) {
      }
    };
    const before = process.memoryUsage().arrayBuffers;
    await expect(read()).rejects.toMatchObject({ code: 'LINE_TOO_LONG' });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 << 20);
  });
});
