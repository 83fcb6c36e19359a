import { createHash } from 'node:crypto';

/** True when content looks like text (no NUL byte in its first 8 KiB, as git decides). */
export function isText(content: Buffer): boolean {
  return !content.subarray(0, 8192).includes(0);
}

/** sha256 of the content with CRLF folded to LF for text, so a checkout's line endings are not drift. */
export function contentHash(content: Buffer | string): string {
  const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const normalised = isText(buffer)
    ? Buffer.from(buffer.toString('utf8').replace(/\r\n/g, '\n'), 'utf8')
    : buffer;
  return `sha256:${createHash('sha256').update(normalised).digest('hex')}`;
}
