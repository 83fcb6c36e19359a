import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

/**
 * Every line of a file, plain or gzip-compressed (told by its magic bytes, not its name, since
 * rotated files are renamed), without its newline. An OpenTelemetry Collector's file exporter
 * writes one export request per line, and those lines run to megabytes, for gigabytes a year: the
 * bytes land in one reused buffer (a plain file is read straight into it) and each line is a view
 * of it, so nothing is allocated or joined per line. **A line is valid only until the next one is
 * asked for.** A truncated gzip file throws after its readable lines were yielded.
 *
 * A line longer than `maxLine` bytes throws (code `LINE_TOO_LONG`) after the lines before it were
 * yielded: a file with no newline (a link to /dev/zero, a sparse file) would otherwise be held
 * whole in memory. The buffer never grows past the limit and one read.
 */
export async function* readLines(file: string, { maxLine = MAX_LINE_BYTES } = {}): AsyncGenerator<Buffer> {
  const magic = head(file);
  // The Collector's own compression is zstd, which Node 20 cannot read: say so, not "not JSON".
  if (magic.length >= 4 && magic.readUInt32LE(0) === 0xfd2fb528)
    throw Object.assign(new Error('zstd-compressed'), { code: 'ZSTD' });
  const lines = new LineBuffer(maxLine);
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    raw.on('error', (error) => gunzip.destroy(error));
    for await (const chunk of raw.pipe(gunzip)) {
      lines.append(chunk as Buffer);
      yield* lines.complete();
    }
  } else {
    const fd = openSync(file, 'r');
    try {
      let position = 0;
      for (;;) {
        const n = lines.readFrom(fd, position);
        if (n === 0) break;
        position += n;
        yield* lines.complete();
      }
    } finally {
      closeSync(fd);
    }
  }
  yield* lines.rest();
}

/** Far longer than any export request a Collector writes (its batches run to a few MiB). */
export const MAX_LINE_BYTES = 64 << 20;

const READ_SIZE = 1 << 20;

/** A growable byte buffer that hands out its whole lines and keeps the unfinished tail. */
class LineBuffer {
  private bytes: Buffer;
  private length = 0;

  constructor(private readonly maxLine: number) {
    this.bytes = Buffer.allocUnsafe(Math.min(8 << 20, maxLine + READ_SIZE));
  }

  append(chunk: Buffer): void {
    this.reserve(chunk.length);
    chunk.copy(this.bytes, this.length);
    this.length += chunk.length;
  }

  /** Reads what fits from `fd` at `position` into the free space; the number of bytes read. */
  readFrom(fd: number, position: number): number {
    this.reserve(READ_SIZE);
    const n = readSync(fd, this.bytes, this.length, this.bytes.length - this.length, position);
    this.length += n;
    return n;
  }

  /** The whole lines held, as views; the tail is moved to the front once they were used. */
  *complete(): Generator<Buffer> {
    const held = this.bytes.subarray(0, this.length);
    let start = 0;
    for (;;) {
      const nl = held.indexOf(10, start);
      if (nl < 0) break;
      yield held.subarray(start, nl);
      start = nl + 1;
    }
    this.bytes.copy(this.bytes, 0, start, this.length);
    this.length -= start;
    if (this.length > this.maxLine)
      throw Object.assign(new Error(`longer than ${describeBytes(this.maxLine)}`), {
        code: 'LINE_TOO_LONG',
        limit: this.maxLine,
      });
  }

  /** A last line without a newline. */
  *rest(): Generator<Buffer> {
    if (this.length > 0) yield this.bytes.subarray(0, this.length);
    this.length = 0;
  }

  private reserve(free: number): void {
    if (this.bytes.length - this.length >= free) return;
    // Never past the limit and one more read: a longer line throws before it is read further.
    const grown = Buffer.allocUnsafe(
      Math.max(this.length + free, Math.min(this.bytes.length * 2, this.maxLine + READ_SIZE)),
    );
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

function head(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.alloc(4);
    const n = readSync(fd, bytes, 0, 4, 0);
    return bytes.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** 67108864 → "64 MiB". */
export function describeBytes(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
