import {
  type Extracted,
  emptyExtracted,
  mergeExtracted,
  NEAR_MISS_NAMES,
  REJECT_NAMES,
  SESSION_NAMES,
  TOOL_RESULT_NAMES,
} from './extract.js';
import { ascii, END, LBRACE, LBRACKET, QUOTE, RBRACE, ScanError, startsWith } from './json-cursor.js';
import { A, WANTED } from './otlp-attributes.js';
import { ClientEventCounter } from './otlp-client-events.js';
import { readSession } from './otlp-session.js';
import { OtlpValues } from './otlp-values.js';

/**
 * Reads one OTLP/JSON logs export request (one line of a Collector's file exporter) straight from
 * its bytes, materialising only what the report counts: the resource's `spine.repo`/`spine.team`,
 * and of each log record its time, name and a handful of attributes. Everything else is skipped
 * byte by byte without building objects, which is what makes millions of records cheap: a
 * `JSON.parse` of the same line allocates every attribute of every record and is several times
 * slower (bench/otel.bench.mjs).
 *
 * Key order and whitespace are free, as JSON allows. The structure spine reads is checked strictly;
 * a skipped value is checked for closed strings and balanced brackets only. Anything malformed
 * throws a `ScanError`: the caller counts the line as unreadable and goes on.
 */
export function scanLogsRequest(bytes: Uint8Array, into: Extracted): 'logs' | 'other' {
  // A line counts whole or not at all: its records go to a scratch result first.
  const line = emptyExtracted();
  let kind: 'logs' | 'other';
  try {
    kind = new Scanner(bytes).request(line);
  } catch (error) {
    if (error instanceof SyntaxError) throw new ScanError(`not JSON: ${error.message}`);
    throw error;
  }
  mergeExtracted(into, line);
  return kind;
}

export { ScanError };

const TOP = ascii(['resourceLogs', 'resourceMetrics', 'resourceSpans']);
const RESOURCE_LOGS = ascii(['resource', 'scopeLogs']);
const ATTRIBUTES = ascii(['attributes']);
const LOG_RECORDS = ascii(['logRecords']);
const RECORD = ascii(['timeUnixNano', 'observedTimeUnixNano', 'eventName', 'body', 'attributes']);
const KEY_VALUE = ascii(['key', 'value']);
const RESOURCE_KEYS = ascii(['spine.repo', 'spine.team']);

/** The record names the report counts, and what each one is. */
const SESSION = 0;
const NEAR_MISS = 1;
const TOOL_RESULT = 2;
const REJECT = 3;
const NAME_KINDS = [
  ...[...SESSION_NAMES].map((n) => [n, SESSION] as const),
  ...[...NEAR_MISS_NAMES].map((n) => [n, NEAR_MISS] as const),
  ...[...TOOL_RESULT_NAMES].map((n) => [n, TOOL_RESULT] as const),
  ...[...REJECT_NAMES].map((n) => [n, REJECT] as const),
];
const NAMES = ascii(NAME_KINDS.map(([n]) => n));
/** A name that is there but not one the report counts; NO_NAME: absent or empty, look further. */
const OTHER_NAME = -3;
const NO_NAME = -1;

const ANY_VALUE = ascii(['stringValue', 'intValue', 'boolValue', 'doubleValue']);
const KEY_PREFIX = new TextEncoder().encode('{"key":"');
const VALUE_PREFIX = new TextEncoder().encode(',"value":');

/**
 * The walk of one request: JSON structure from `JsonCursor`, values from `OtlpValues`, what each
 * counted record means from its signal (otlp-session, otlp-client-events).
 */
class Scanner extends OtlpValues {
  /** Start offsets of the current record's wanted attribute values (-1: absent). */
  private readonly attr = new Int32Array(WANTED.names.length);
  private repo: string | undefined;
  private team = '';
  private readonly clientEvents = new ClientEventCounter(this, this.attr);

  request(into: Extracted): 'logs' | 'other' {
    let kind: 'logs' | 'other' | undefined;
    this.enter(LBRACE);
    for (let k = this.key(TOP, true); k !== END; k = this.key(TOP, false)) {
      if (k === 0) {
        kind = 'logs';
        this.enter(LBRACKET);
        for (let more = this.item(true); more; more = this.item(false)) this.resourceLogs(into);
        continue;
      }
      if (k > 0) kind ??= 'other';
      this.skip();
    }
    this.ws();
    if (this.i !== this.b.length) this.fail('text after the request');
    if (!kind) throw new ScanError('not an OTLP export request (no resourceLogs)');
    return kind!;
  }

  private resourceLogs(into: Extracted): void {
    this.repo = undefined;
    this.team = '';
    let pendingScopes = -1;
    let sawResource = false;
    this.enter(LBRACE);
    for (let k = this.key(RESOURCE_LOGS, true); k !== END; k = this.key(RESOURCE_LOGS, false)) {
      if (k === 0) {
        sawResource = true;
        this.enter(LBRACE);
        for (let a = this.key(ATTRIBUTES, true); a !== END; a = this.key(ATTRIBUTES, false)) {
          if (a !== 0) {
            this.skip();
            continue;
          }
          this.enter(LBRACKET);
          for (let more = this.item(true); more; more = this.item(false)) this.resourceAttribute();
        }
      } else if (k === 1 && sawResource) this.scopeLogs(into);
      else {
        // Records before their resource: read them once the resource is known.
        if (k === 1) pendingScopes = this.i;
        this.skip();
      }
    }
    if (pendingScopes >= 0) {
      const after = this.i;
      this.i = pendingScopes;
      this.scopeLogs(into);
      this.i = after;
    }
  }

  private resourceAttribute(): void {
    let which = -1;
    let value = -1;
    this.enter(LBRACE);
    for (let k = this.key(KEY_VALUE, true); k !== END; k = this.key(KEY_VALUE, false)) {
      if (k === 0) which = this.keyString(RESOURCE_KEYS);
      else {
        if (k === 1) value = this.i;
        this.skip();
      }
    }
    if (which < 0 || value < 0) return;
    const text = this.anyString(value);
    if (which === 0) this.repo = text;
    else this.team = text ?? '';
  }

  /** The `scopeLogs` array. */
  private scopeLogs(into: Extracted): void {
    this.enter(LBRACKET);
    for (let more = this.item(true); more; more = this.item(false)) {
      this.enter(LBRACE);
      for (let k = this.key(LOG_RECORDS, true); k !== END; k = this.key(LOG_RECORDS, false)) {
        if (k !== 0) {
          this.skip();
          continue;
        }
        this.enter(LBRACKET);
        for (let r = this.item(true); r; r = this.item(false)) this.logRecord(into);
      }
    }
  }

  private logRecord(into: Extracted): void {
    into.records++;
    const attr = this.attr;
    attr.fill(-1);
    if (!this.repo) {
      into.unattributed++;
      this.unattributedRecord(into);
      return;
    }
    let time = -1;
    let observed = -1;
    let eventName = -1;
    let body = -1;
    this.enter(LBRACE);
    for (let k = this.key(RECORD, true); k !== END; k = this.key(RECORD, false)) {
      if (k === 4) {
        this.enter(LBRACKET);
        for (let more = this.item(true); more; more = this.item(false)) this.recordAttribute();
        continue;
      }
      if (k === 0) time = this.i;
      else if (k === 1) observed = this.i;
      else if (k === 2) eventName = this.i;
      else if (k === 3) body = this.i;
      this.skip();
    }

    let name = eventName >= 0 ? this.nameAt(eventName, false) : NO_NAME;
    if (name === NO_NAME) name = this.nameAt(attr[A['event.name']]!, true);
    if (name === NO_NAME) name = this.nameAt(body, true);
    if (name < 0) return;
    const day = this.dayOf(time >= 0 ? time : observed);
    if (day) this.count(into, NAME_KINDS[name]![1], day);
  }

  /** A record with no repo: only its session id is read, to join spine's session records. */
  private unattributedRecord(into: Extracted): void {
    this.enter(LBRACE);
    for (let k = this.key(RECORD, true); k !== END; k = this.key(RECORD, false)) {
      if (k !== 4) {
        this.skip();
        continue;
      }
      this.enter(LBRACKET);
      for (let more = this.item(true); more; more = this.item(false)) this.recordAttribute();
    }
    const session = this.anyHash(this.attr[A['session.id']]!);
    if (session !== undefined)
      into.unattributedBySession.set(session, (into.unattributedBySession.get(session) ?? 0) + 1);
  }

  /**
   * The record name at `at` (a JSON string, or an AnyValue when `any`) as an index in NAMES,
   * OTHER_NAME for a name the report does not count, NO_NAME when there is none.
   */
  private nameAt(at: number, any: boolean): number {
    if (at < 0) return NO_NAME;
    const back = this.i;
    this.i = at;
    let out = NO_NAME;
    if (!any) {
      if (this.b[at] === QUOTE) out = this.nameString();
    } else {
      this.enter(LBRACE);
      for (let k = this.key(ANY_VALUE, true); k !== END; k = this.key(ANY_VALUE, false)) {
        if (k === 0) out = this.nameString();
        else if (k > 0) out = this.readScalarText() ? OTHER_NAME : NO_NAME;
        else this.skip();
      }
    }
    this.i = back;
    return out;
  }

  private nameString(): number {
    const start = this.i;
    const found = this.keyString(NAMES);
    if (found >= 0) return found;
    return this.i - start > 2 ? OTHER_NAME : NO_NAME;
  }

  private count(into: Extracted, kind: number, day: string): void {
    const repo = this.repo!;
    if (kind === SESSION) {
      const session = readSession(this, this.attr, repo, this.team, day);
      if (session) into.sessions.push(session);
    } else if (kind === NEAR_MISS) into.nearMissRecords++;
    else this.clientEvents.count(into, kind === TOOL_RESULT, repo, this.team, day);
  }

  private recordAttribute(): void {
    if (this.compactAttribute()) return;
    let which = -1;
    let value = -1;
    this.enter(LBRACE);
    for (let k = this.key(KEY_VALUE, true); k !== END; k = this.key(KEY_VALUE, false)) {
      if (k === 0) which = this.keyString(WANTED);
      else {
        if (k === 1) value = this.i;
        this.skip();
      }
    }
    // Later keys win, as the spec leaves duplicates undefined.
    if (which >= 0 && value >= 0) this.attr[which] = value;
  }

  /**
   * The common case, read without the general walk: `{"key":"…","value":…}` with no whitespace,
   * as a Collector writes it. Anything else leaves the position as it was and returns false.
   */
  private compactAttribute(): boolean {
    const b = this.b;
    const start = this.i;
    if (!startsWith(b, start, KEY_PREFIX)) return false;
    this.i = start + KEY_PREFIX.length - 1;
    const which = this.keyString(WANTED);
    if (!startsWith(b, this.i, VALUE_PREFIX)) {
      this.i = start;
      return false;
    }
    this.i += VALUE_PREFIX.length;
    const value = this.i;
    if (b[value]! <= 32) {
      this.i = start;
      return false;
    }
    this.skip();
    if (b[this.i] !== RBRACE) {
      this.i = start;
      return false;
    }
    this.i++;
    if (which >= 0) this.attr[which] = value;
    return true;
  }
}
