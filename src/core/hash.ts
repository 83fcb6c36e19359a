import { isUtf8 } from 'node:buffer';
import { sha256Hex } from './sha256.js';

/** True when content looks like text (no NUL byte in its first 8 KiB, as git decides). */
export function isText(content: Buffer): boolean {
  return !content.subarray(0, 8192).includes(0);
}

/** sha256 of the content with CRLF folded to LF for text, so a checkout's line endings are not drift. */
export function contentHash(content: Buffer | string): string {
  const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const normalised = isText(buffer) && needsFolding(buffer) ? folded(buffer) : buffer;
  return `sha256:${sha256Hex(normalised)}`;
}

/**
 * Whether decoding and folding can change the bytes: a CR, or a sequence that is not UTF-8 (which
 * decoding replaces with U+FFFD, as every hash recorded so far did). Most files need neither, and
 * skip the copy into a string and back.
 */
function needsFolding(buffer: Buffer): boolean {
  return buffer.includes(0x0d) || !isUtf8(buffer);
}

function folded(buffer: Buffer): Buffer {
  return Buffer.from(buffer.toString('utf8').replace(/\r\n/g, '\n'), 'utf8');
}
