import { sessionHash } from './extract.js';
import { ascii, END, JsonCursor, LBRACE, LBRACKET, QUOTE } from './json-cursor.js';

const ANY_VALUE = ascii(['stringValue', 'intValue', 'boolValue', 'doubleValue']);
const KVLIST = ascii(['kvlistValue']);
const VALUES = ascii(['values']);
const KEY_VALUE = ascii(['key', 'value']);

const DAY_MS = 86_400_000;
const dayNames = new Map<number, string>();

/**
 * OTLP values read on demand from an offset the walk remembered: the position is put back after
 * each read, so a record's attributes are read only once its name says the report counts it.
 */
export class OtlpValues extends JsonCursor {
  /** An AnyValue's string (or int, bool, double, as text) at `at`; undefined for others. */
  anyString(at: number): string | undefined {
    if (at < 0) return undefined;
    const back = this.i;
    this.i = at;
    let out: string | undefined;
    this.enter(LBRACE);
    for (let k = this.key(ANY_VALUE, true); k !== END; k = this.key(ANY_VALUE, false)) {
      if (k === 0) out = this.readString();
      else if (k > 0) out = this.readScalarText();
      else this.skip();
    }
    this.i = back;
    return out;
  }

  /** An AnyValue's non-empty string at `at`, hashed from its bytes without building it. */
  anyHash(at: number): number | undefined {
    if (at < 0) return undefined;
    const back = this.i;
    this.i = at;
    let out: number | undefined;
    this.enter(LBRACE);
    for (let k = this.key(ANY_VALUE, true); k !== END; k = this.key(ANY_VALUE, false)) {
      if (k === 0 && this.b[this.i] === QUOTE) {
        const start = this.i + 1;
        const end = this.stringEnd(start);
        this.i = end + 1;
        out = end > start ? sessionHash(this.b, start, end) : undefined;
      } else this.skip();
    }
    this.i = back;
    return out;
  }

  anyInt(at: number): number {
    const n = Number(this.anyString(at));
    return Number.isFinite(n) && n > 0 ? Math.trunc(n) : 0;
  }

  /** Adds a kvlist of counts at `at` (spine's by-guardrail and by-skill maps) to `out`. */
  anyCounts(at: number, out: Record<string, number>): Record<string, number> {
    if (at < 0) return out;
    const back = this.i;
    this.i = at;
    this.enter(LBRACE);
    for (let k = this.key(KVLIST, true); k !== END; k = this.key(KVLIST, false)) {
      if (k !== 0) {
        this.skip();
        continue;
      }
      this.enter(LBRACE);
      for (let v = this.key(VALUES, true); v !== END; v = this.key(VALUES, false)) {
        if (v !== 0) {
          this.skip();
          continue;
        }
        this.enter(LBRACKET);
        for (let more = this.item(true); more; more = this.item(false)) {
          let name: string | undefined;
          let value = -1;
          this.enter(LBRACE);
          for (let e = this.key(KEY_VALUE, true); e !== END; e = this.key(KEY_VALUE, false)) {
            if (e === 0 && this.b[this.i] === QUOTE) name = this.readString();
            else {
              if (e === 1) value = this.i;
              this.skip();
            }
          }
          const n = this.anyInt(value);
          if (name !== undefined && n > 0) out[name] = (out[name] ?? 0) + n;
        }
      }
    }
    this.i = back;
    return out;
  }

  /** `timeUnixNano` as a UTC day: a string of digits per the spec, a number from some exporters. */
  dayOf(at: number): string | undefined {
    if (at < 0) return undefined;
    const b = this.b;
    let p = at;
    if (b[p] === QUOTE) p++;
    const start = p;
    while (b[p]! >= 48 && b[p]! <= 57) p++;
    // Nanoseconds: the milliseconds are all but the last six digits.
    let ms = 0;
    for (let q = start; q < p - 6; q++) ms = ms * 10 + (b[q]! - 48);
    if (ms <= 0) return undefined;
    const day = Math.floor(ms / DAY_MS);
    let name = dayNames.get(day);
    if (!name) {
      name = new Date(day * DAY_MS).toISOString().slice(0, 10);
      dayNames.set(day, name);
    }
    return name;
  }
}
