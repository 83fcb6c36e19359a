import {
  CLIENT_RULE_PREFIX,
  type ClientDay,
  type Extracted,
  emptyExtracted,
  mergeExtracted,
  NEAR_MISS_NAMES,
  REJECT_NAMES,
  SESSION_NAMES,
  sessionHash,
  TOOL_RESULT_NAMES,
} from './extract.js';
import {
  ascii,
  END,
  JsonCursor,
  LBRACE,
  LBRACKET,
  QUOTE,
  RBRACE,
  ScanError,
  startsWith,
} from './json-cursor.js';

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
const ANY_VALUE = ascii(['stringValue', 'intValue', 'boolValue', 'doubleValue']);
const KVLIST = ascii(['kvlistValue']);
const VALUES = ascii(['values']);
const RESOURCE_KEYS = ascii(['spine.repo', 'spine.team']);

/** The record attributes the report reads, by index into `Scanner.attr`. */
const WANTED_NAMES = [
  'event.name',
  'spine.record_id',
  'spine.tool_calls',
  'spine.near_misses_by_guardrail',
  'spine.skills_shared',
  'spine.skills_local',
  'spine.friction_by_class',
  'spine.asks_by_guardrail',
  'spine.person',
  'session.id',
  'decision',
  'source',
] as const;
const WANTED = ascii([...WANTED_NAMES]);

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
const A = Object.fromEntries(WANTED_NAMES.map((n, i) => [n, i])) as Record<
  (typeof WANTED_NAMES)[number],
  number
>;

const DAY_MS = 86_400_000;
const dayNames = new Map<number, string>();

const KEY_PREFIX = new TextEncoder().encode('{"key":"');
const VALUE_PREFIX = new TextEncoder().encode(',"value":');

/** The walk of one request: JSON structure from `JsonCursor`, OTLP's meaning here. */
class Scanner extends JsonCursor {
  /** Start offsets of the current record's wanted attribute values (-1: absent). */
  private readonly attr = new Int32Array(WANTED.names.length);
  private repo: string | undefined;
  private team = '';
  /** The repo-day last counted into: records of one batch mostly share it. */
  private lastDay: ClientDay | undefined;

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
    if (!this.repo) {
      into.unattributed++;
      this.skip();
      return;
    }
    const attr = this.attr;
    attr.fill(-1);
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
    const attr = this.attr;
    const repo = this.repo!;
    const team = this.team;
    if (kind === SESSION) {
      const id = this.anyString(attr[A['spine.record_id']]!);
      if (!id) return;
      into.sessions.push({
        id,
        repo,
        team,
        day,
        toolCalls: this.anyInt(attr[A['spine.tool_calls']]!),
        nearMisses: this.anyCounts(attr[A['spine.near_misses_by_guardrail']]!, {}),
        skillUses: this.anyCounts(
          attr[A['spine.skills_local']]!,
          this.anyCounts(attr[A['spine.skills_shared']]!, {}),
        ),
        friction: this.anyCounts(attr[A['spine.friction_by_class']]!, {}),
        asks: this.anyCounts(attr[A['spine.asks_by_guardrail']]!, {}),
        person: this.anyString(attr[A['spine.person']]!),
      });
      return;
    }
    if (kind === NEAR_MISS) {
      into.nearMissRecords++;
      return;
    }
    const result = kind === TOOL_RESULT;
    if (!result && this.anyString(attr[A.decision]!) !== 'reject') return;
    let cd = this.lastDay;
    if (!cd || cd.repo !== repo || cd.day !== day || cd.team !== team) {
      const key = `${repo}\u0000${day}`;
      cd = into.clientDays.get(key);
      if (!cd) {
        cd = { repo, team, day, sessions: new Set(), toolCalls: 0, nearMisses: {} };
        into.clientDays.set(key, cd);
      }
      this.lastDay = cd;
    }
    const session = this.anyHash(attr[A['session.id']]!);
    if (session !== undefined) cd.sessions.add(session);
    if (result) cd.toolCalls++;
    else {
      const rule = CLIENT_RULE_PREFIX + (this.anyString(attr[A.source]!) ?? 'unknown');
      cd.nearMisses[rule] = (cd.nearMisses[rule] ?? 0) + 1;
    }
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

  // --- values read on demand, from a remembered offset ---------------------------------------

  /** An AnyValue's string (or int, bool, double, as text) at `at`; undefined for others. */
  private anyString(at: number): string | undefined {
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
  private anyHash(at: number): number | undefined {
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

  private anyInt(at: number): number {
    const n = Number(this.anyString(at));
    return Number.isFinite(n) && n > 0 ? Math.trunc(n) : 0;
  }

  /** Adds a kvlist of counts at `at` (spine's by-guardrail and by-skill maps) to `out`. */
  private anyCounts(at: number, out: Record<string, number>): Record<string, number> {
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
  private dayOf(at: number): string | undefined {
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
