import type { AnyValue, KeyValue, LogRecord, LogsRequest } from './otlp-request.js';

/**
 * The binary protobuf encoding (proto3) of the one message spine sends, an
 * ExportLogsServiceRequest, written by hand so the hook stays dependency-free. Field numbers and
 * types follow opentelemetry-proto v1.11.0 (collector/logs/v1, logs/v1, common/v1, resource/v1);
 * the test suite decodes the output with protobufjs against those .proto files.
 *
 * proto3 rules that matter here: a scalar field at its default ("" / 0) is not written, but a
 * member of a oneof (AnyValue's value) always is, so `intValue: "0"` and `stringValue: ""` survive;
 * a sub-message that is present is written even when empty.
 */
export function encodeLogsRequest(request: LogsRequest): Uint8Array {
  const w = new Writer();
  for (const rl of request.resourceLogs) {
    w.message(1, (w) => {
      if (rl.resource) w.message(1, (w) => attributes(w, 1, rl.resource!.attributes));
      for (const sl of rl.scopeLogs) {
        w.message(2, (w) => {
          if (sl.scope)
            w.message(1, (w) => {
              w.string(1, sl.scope!.name);
              w.string(2, sl.scope!.version ?? '');
            });
          for (const record of sl.logRecords) w.message(2, (w) => logRecord(w, record));
        });
      }
    });
  }
  return w.finish();
}

// Wire types.
const VARINT = 0;
const I64 = 1;
const LEN = 2;

function logRecord(w: Writer, r: LogRecord): void {
  w.fixed64(1, r.timeUnixNano);
  w.varint(2, BigInt(r.severityNumber ?? 0));
  w.string(3, r.severityText ?? '');
  if (r.body) w.message(5, (w) => anyValue(w, r.body!));
  attributes(w, 6, r.attributes ?? []);
  w.fixed64(11, r.observedTimeUnixNano);
  w.string(12, r.eventName ?? '');
}

function attributes(w: Writer, field: number, list: KeyValue[]): void {
  for (const kv of list)
    w.message(field, (w) => {
      w.string(1, kv.key);
      w.message(2, (w) => anyValue(w, kv.value));
    });
}

function anyValue(w: Writer, v: AnyValue): void {
  // A oneof member is written even at its default value: that is how the reader knows which one.
  if ('stringValue' in v) w.bytes(1, Buffer.from(v.stringValue, 'utf8'));
  else if ('boolValue' in v) w.tagged(2, VARINT, varint(v.boolValue ? 1n : 0n));
  else if ('intValue' in v) w.tagged(3, VARINT, varint(BigInt.asUintN(64, BigInt(v.intValue))));
  else if ('doubleValue' in v) {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v.doubleValue);
    w.tagged(4, I64, b);
  } else if ('arrayValue' in v)
    w.message(5, (w) => {
      for (const item of v.arrayValue.values) w.message(1, (w) => anyValue(w, item));
    });
  else if ('kvlistValue' in v) w.message(6, (w) => attributes(w, 1, v.kvlistValue.values));
}

function varint(n: bigint): Uint8Array {
  if (n < 0x80000000n) return smallVarint(Number(n));
  const out: number[] = [];
  while (n > 0x7fn) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return Uint8Array.from(out);
}

/** Tags, lengths and small values without BigInt arithmetic. */
function smallVarint(n: number): Uint8Array {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Uint8Array.from(out);
}

/** Appends fields to a list of chunks; a nested message is encoded first, then length-prefixed. */
class Writer {
  private chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  tagged(field: number, wireType: number, payload: Uint8Array): void {
    this.push(smallVarint((field << 3) | wireType));
    this.push(payload);
  }

  bytes(field: number, payload: Uint8Array): void {
    this.tagged(field, LEN, smallVarint(payload.length));
    this.push(payload);
  }

  string(field: number, value: string): void {
    if (value !== '') this.bytes(field, Buffer.from(value, 'utf8'));
  }

  varint(field: number, value: bigint): void {
    if (value !== 0n) this.tagged(field, VARINT, varint(BigInt.asUintN(64, value)));
  }

  /** fixed64 from the decimal string the JSON encoding uses (nanoseconds since the epoch). */
  fixed64(field: number, value: string | undefined): void {
    if (value === undefined || BigInt(value) === 0n) return;
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)));
    this.tagged(field, I64, b);
  }

  message(field: number, write: (w: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Buffer.concat(this.chunks, this.length);
  }
}
