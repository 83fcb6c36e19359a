import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Every line of a file, plain or gzip-compressed (told by its magic bytes, not its name, since
 * rotated files are renamed), as buffers without their newline. Lines are cut from raw chunks and
 * only joined when a line spans chunks: an OpenTelemetry Collector's file exporter writes one
 * export request per line, and those lines run to megabytes. A truncated gzip file throws after
 * its readable lines were yielded.
 */
export async function* readLines(file: string): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  for await (const chunk of openStream(file)) {
    const buffer = chunk as Buffer;
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf(10, start);
      if (nl < 0) break;
      const piece = buffer.subarray(start, nl);
      yield pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      start = nl + 1;
    }
    if (start < buffer.length) pending.push(buffer.subarray(start));
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}

function openStream(file: string): Readable {
  const magic = head(file);
  // The Collector's own compression is zstd, which Node 20 cannot read: say so, not "not JSON".
  if (magic.readUInt32LE(0) === 0xfd2fb528)
    throw Object.assign(new Error('zstd-compressed'), { code: 'ZSTD' });
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return raw;
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

function head(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.alloc(4);
    readSync(fd, bytes, 0, 4, 0);
    return bytes;
  } finally {
    closeSync(fd);
  }
}
