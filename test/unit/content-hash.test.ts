import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/core/hash.js';

/** The hash as every lock so far recorded it: text decoded, CRLF folded, encoded again. */
function recordedHash(buffer: Buffer): string {
  const text = !buffer.subarray(0, 8192).includes(0);
  const normalised = text ? Buffer.from(buffer.toString('utf8').replace(/\r\n/g, '\n'), 'utf8') : buffer;
  return `sha256:${createHash('sha256').update(normalised).digest('hex')}`;
}

describe('contentHash', () => {
  it('folds CRLF in text, so a checkout’s line endings are not drift', () => {
    expect(contentHash(Buffer.from('a\r\nb\r\n'))).toBe(contentHash(Buffer.from('a\nb\n')));
    expect(contentHash('a\r\nb')).toBe(contentHash('a\nb'));
  });

  it('leaves binary content (a NUL byte) as it is', () => {
    expect(contentHash(Buffer.from('\0a\r\n'))).not.toBe(contentHash(Buffer.from('\0a\n')));
  });

  it('gives the hash locks recorded before it skipped the decoding, for any bytes', () => {
    // Bytes that are not UTF-8 decode to U+FFFD: a file with one must keep hashing as it did.
    expect(contentHash(Buffer.from([0x61, 0xff, 0x62]))).toBe(recordedHash(Buffer.from([0x61, 0xff, 0x62])));
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'binary', maxLength: 64 }).map((s) => Buffer.from(s, 'utf8')),
      fc
        .array(fc.constantFrom('a', '\r', '\n', '\r\n', 'é', '\u2028', '\ufeff'), { maxLength: 20 })
        .map((parts) => Buffer.from(parts.join(''), 'utf8')),
    );
    fc.assert(
      fc.property(bytes, (array) => {
        const buffer = Buffer.from(array);
        expect(contentHash(buffer)).toBe(recordedHash(buffer));
      }),
      { numRuns: 500 },
    );
  });
});
