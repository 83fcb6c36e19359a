/**
 * A cursor over the bytes of one JSON document, for readers that want a few values out of a large
 * one without building objects: step into objects and arrays, match keys by their bytes, skip any
 * value (strings closed, brackets balanced). Malformed input throws a `ScanError`.
 */
export class ScanError extends Error {}

export const QUOTE = 34;
const BACKSLASH = 92;
export const LBRACE = 123;
export const RBRACE = 125;
export const LBRACKET = 91;
const RBRACKET = 93;
const COMMA = 44;
const COLON = 58;

/** Strings to recognise by their bytes, looked up by length first: no string is built to compare. */
export interface Words {
  names: string[];
  bytes: Uint8Array[];
  byLength: number[][];
}

export function ascii(names: string[]): Words {
  const bytes = names.map((w) => new TextEncoder().encode(w));
  const byLength: number[][] = [];
  bytes.forEach((b, index) => {
    byLength[b.length] ??= [];
    byLength[b.length]!.push(index);
  });
  return { names, bytes, byLength };
}

export const decoder = new TextDecoder();

export function startsWith(b: Uint8Array, at: number, prefix: Uint8Array): boolean {
  for (let j = 0; j < prefix.length; j++) if (b[at + j] !== prefix[j]) return false;
  return true;
}

/** `key()` at the end of an object. */
export const END = -2;

export class JsonCursor {
  protected i = 0;
  /** Whether the string last passed over held an escape (then it is decoded by JSON.parse). */
  protected escaped = false;

  constructor(protected readonly b: Uint8Array) {}

  // --- the structure ---------------------------------------------------------------------------

  /** Steps into an object or array: `{` or `[` must come next. */
  protected enter(open: number): void {
    this.ws();
    if (this.b[this.i] !== open) this.fail(open === LBRACE ? 'expected an object' : 'expected an array');
    this.i++;
  }

  /**
   * The next key of the object entered last, as its index in `keys` (-1: another key), with the
   * position at its value; END after the closing brace. The caller consumes or skips the value.
   */
  protected key(keys: Words, first: boolean): number {
    const b = this.b;
    if (b[this.i]! <= 32) this.ws();
    if (b[this.i] === RBRACE) {
      this.i++;
      return END;
    }
    if (!first) {
      if (b[this.i] !== COMMA) this.fail('expected "," or "}"');
      this.i++;
      this.ws();
    }
    const key = this.keyString(keys);
    this.ws();
    if (b[this.i] !== COLON) this.fail('expected ":"');
    this.i++;
    this.ws();
    return key;
  }

  /** Whether the array entered last has another item (the position then at it). */
  protected item(first: boolean): boolean {
    const b = this.b;
    this.ws();
    if (b[this.i] === RBRACKET) {
      this.i++;
      return false;
    }
    if (!first) {
      if (b[this.i] !== COMMA) this.fail('expected "," or "]"');
      this.i++;
      this.ws();
    }
    return true;
  }

  /** Reads a string at the position and returns its index in `words`, or -1. */
  protected keyString(words: Words): number {
    const b = this.b;
    if (b[this.i] !== QUOTE) this.fail('expected a string');
    const start = this.i + 1;
    const end = this.stringEnd(start);
    this.i = end + 1;
    if (this.escaped) {
      const text = JSON.parse(decoder.decode(b.subarray(start - 1, end + 1))) as string;
      return words.names.indexOf(text);
    }
    const candidates = words.byLength[end - start];
    if (candidates === undefined) return -1;
    outer: for (let c = 0; c < candidates.length; c++) {
      const index = candidates[c]!;
      const word = words.bytes[index]!;
      for (let j = 0; j < word.length; j++) if (word[j] !== b[start + j]) continue outer;
      return index;
    }
    return -1;
  }

  protected readString(): string {
    const b = this.b;
    if (b[this.i] !== QUOTE) this.fail('expected a string');
    const start = this.i + 1;
    const end = this.stringEnd(start);
    this.i = end + 1;
    if (this.escaped) return JSON.parse(decoder.decode(b.subarray(start - 1, end + 1))) as string;
    return decoder.decode(b.subarray(start, end));
  }

  /** A number or literal as its text (`intValue` may be a number; `boolValue` true/false). */
  protected readScalarText(): string | undefined {
    const b = this.b;
    if (b[this.i] === QUOTE) return this.readString();
    const start = this.i;
    this.skip();
    return start < this.i ? decoder.decode(b.subarray(start, this.i)) : undefined;
  }

  /** The index of the closing quote of a string whose contents start at `from`. */
  protected stringEnd(from: number): number {
    const b = this.b;
    const n = b.length;
    let p = from;
    this.escaped = false;
    for (;;) {
      if (p >= n) this.fail('unterminated string');
      const c = b[p]!;
      if (c === QUOTE) return p;
      if (c === BACKSLASH) {
        this.escaped = true;
        p += 2;
      } else p++;
    }
  }

  /** Skips any value: strings closed, brackets balanced. */
  protected skip(): void {
    const b = this.b;
    const n = b.length;
    let c = b[this.i];
    if (c === QUOTE) {
      this.i = this.stringEnd(this.i + 1) + 1;
      return;
    }
    if (c !== LBRACE && c !== LBRACKET) {
      // A number or literal: up to the next delimiter.
      const start = this.i;
      while (this.i < n) {
        c = b[this.i]!;
        if (c === COMMA || c === RBRACE || c === RBRACKET || c <= 32) break;
        this.i++;
      }
      if (this.i === start) this.fail('expected a value');
      return;
    }
    let depth = 0;
    let p = this.i;
    for (;;) {
      if (p >= n) this.fail('unterminated object or array');
      c = b[p]!;
      if (c === QUOTE) {
        p = this.stringEnd(p + 1) + 1;
        continue;
      }
      if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        depth--;
        if (depth === 0) {
          this.i = p + 1;
          return;
        }
      }
      p++;
    }
  }

  protected ws(): void {
    const b = this.b;
    let c = b[this.i];
    while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++this.i];
  }

  protected fail(cause: string): never {
    throw new ScanError(
      this.i >= this.b.length
        ? 'not JSON: the line ends inside a value (cut short?)'
        : `not JSON: ${cause} at byte ${this.i + 1}`,
    );
  }
}
