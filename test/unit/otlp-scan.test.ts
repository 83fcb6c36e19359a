import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_RULE_PREFIX,
  type Extracted,
  emptyExtracted,
  NEAR_MISS_NAMES,
  REJECT_NAMES,
  SESSION_NAMES,
  sessionHash,
  TOOL_RESULT_NAMES,
} from '../../src/core/telemetry/extract.js';
import { ScanError, scanLogsRequest } from '../../src/core/telemetry/otlp-scan.js';

// The oracle: the same counting over `JSON.parse`, the obvious (and several times slower) way.
type Any = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
  kvlistValue?: { values?: { key: string; value?: Any }[] };
};
type KV = { key: string; value?: Any };
const text = (v: Any | undefined) =>
  v === undefined
    ? undefined
    : typeof v.stringValue === 'string'
      ? v.stringValue
      : v.intValue !== undefined
        ? String(v.intValue)
        : v.boolValue !== undefined
          ? String(v.boolValue)
          : v.doubleValue !== undefined
            ? String(v.doubleValue)
            : undefined;
const counts = (v: Any | undefined) => {
  const out: Record<string, number> = {};
  for (const kv of v?.kvlistValue?.values ?? []) {
    const n = Number(kv.value?.intValue ?? kv.value?.doubleValue);
    if (Number.isFinite(n) && n > 0) out[kv.key] = (out[kv.key] ?? 0) + Math.trunc(n);
  }
  return out;
};
function oracle(line: string): Extracted {
  const into = emptyExtracted();
  const request = JSON.parse(line);
  for (const rl of request.resourceLogs ?? []) {
    const res = new Map<string, Any>((rl.resource?.attributes ?? []).map((a: KV) => [a.key, a.value]));
    const repo = text(res.get('spine.repo'));
    const team = text(res.get('spine.team')) ?? '';
    for (const sl of rl.scopeLogs ?? [])
      for (const r of sl.logRecords ?? []) {
        into.records++;
        const a = new Map<string, Any>((r.attributes ?? []).map((x: KV) => [x.key, x.value]));
        // Hashed from the string's JSON bytes, as the scan sees them.
        const raw = a.get('session.id')?.stringValue;
        const session = raw
          ? sessionHash(new TextEncoder().encode(JSON.stringify(raw).slice(1, -1)))
          : undefined;
        if (!repo) {
          into.unattributed++;
          if (session !== undefined)
            into.unattributedBySession.set(session, (into.unattributedBySession.get(session) ?? 0) + 1);
          continue;
        }
        const name = r.eventName || text(a.get('event.name')) || text(r.body);
        const nanos = String(r.timeUnixNano ?? r.observedTimeUnixNano ?? '');
        const ms = Number(nanos.slice(0, -6));
        if (!name || !(ms > 0)) continue;
        const day = new Date(Math.floor(ms / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
        if (SESSION_NAMES.has(name)) {
          const id = text(a.get('spine.record_id'));
          if (!id) continue;
          const n = Number(text(a.get('spine.tool_calls')));
          into.sessions.push({
            id,
            repo,
            team,
            day,
            toolCalls: Number.isFinite(n) && n > 0 ? Math.trunc(n) : 0,
            nearMisses: counts(a.get('spine.near_misses_by_guardrail')),
            skillUses: { ...counts(a.get('spine.skills_shared')), ...counts(a.get('spine.skills_local')) },
            friction: counts(a.get('spine.friction_by_class')),
            asks: counts(a.get('spine.asks_by_guardrail')),
            person: text(a.get('spine.person')),
            allowRules: counts(a.get('spine.allow_rules')),
            session,
          });
        } else if (NEAR_MISS_NAMES.has(name)) into.nearMissRecords++;
        else {
          const result = TOOL_RESULT_NAMES.has(name);
          if (!result && !(REJECT_NAMES.has(name) && text(a.get('decision')) === 'reject')) continue;
          const key = `${repo}\u0000${day}`;
          const cd = into.clientDays.get(key) ?? {
            repo,
            team,
            day,
            sessions: new Set<number>(),
            toolCalls: 0,
            nearMisses: {},
          };
          into.clientDays.set(key, cd);
          if (session !== undefined) cd.sessions.add(session);
          if (result) cd.toolCalls++;
          else {
            const rule = CLIENT_RULE_PREFIX + (text(a.get('source')) ?? 'unknown');
            cd.nearMisses[rule] = (cd.nearMisses[rule] ?? 0) + 1;
          }
        }
      }
  }
  return into;
}

const scan = (line: string) => {
  const into = emptyExtracted();
  scanLogsRequest(new TextEncoder().encode(line), into);
  return into;
};

/** JSON with its object keys shuffled and random whitespace, as any conforming writer may emit. */
function write(value: unknown, rnd: () => number): string {
  const ws = () => [' ', '', '\n', '\t', ''][Math.floor(rnd() * 5)]!;
  if (Array.isArray(value))
    return `[${ws()}${value.map((v) => write(v, rnd)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(() => rnd() - 0.5);
    return `{${ws()}${entries.map(([k, v]) => `${JSON.stringify(k)}${ws()}:${ws()}${write(v, rnd)}`).join(`,${ws()}`)}${ws()}}`;
  }
  return JSON.stringify(value);
}

const str = (s: string) => ({ stringValue: s });
const kv = (key: string, value: unknown) => ({ key, value });
const names = fc.constantFrom(
  'spine.session',
  'spine.near_miss',
  'claude_code.tool_result',
  'tool_decision',
  'claude_code.tool_decision',
  'claude_code.api_request',
  'other',
);
const record = fc.record(
  {
    name: names,
    where: fc.constantFrom('eventName', 'attribute', 'body'),
    nanos: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 62n }).map(String), fc.constant('')),
    numeric: fc.boolean(),
    id: fc.string({ minLength: 0, maxLength: 20 }),
    calls: fc.oneof(fc.nat(500).map(String), fc.nat(500), fc.constant('x')),
    rules: fc.dictionary(fc.string({ maxLength: 12 }), fc.integer({ min: -2, max: 9 }), { maxKeys: 3 }),
    decision: fc.constantFrom('accept', 'reject'),
    source: fc.constantFrom('config', 'hook', 'user_reject'),
    session: fc.string({ maxLength: 10 }),
    person: fc.oneof(fc.constant(undefined), fc.constant('p-0123456789abcdef'), fc.string({ maxLength: 6 })),
    noise: fc.array(fc.tuple(fc.string({ maxLength: 15 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
  },
  {
    requiredKeys: [
      'name',
      'where',
      'nanos',
      'numeric',
      'id',
      'calls',
      'rules',
      'decision',
      'source',
      'session',
      'noise',
    ],
  },
);
const request = fc.array(
  fc.record({
    repo: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 12 })),
    team: fc.string({ maxLength: 8 }),
    records: fc.array(record, { maxLength: 6 }),
  }),
  { maxLength: 3 },
);

function toOtlp(req: { repo?: string; team: string; records: any[] }[]): unknown {
  return {
    resourceLogs: req.map((rl) => ({
      resource: {
        attributes: [
          ...(rl.repo === undefined ? [] : [kv('spine.repo', str(rl.repo))]),
          kv('spine.team', str(rl.team)),
          kv('host.name', str('h')),
        ],
        droppedAttributesCount: 0,
      },
      scopeLogs: [
        {
          scope: { name: 'dev.spine.audit', version: '1' },
          logRecords: rl.records.map((r: any) => ({
            ...(r.nanos ? { timeUnixNano: r.numeric ? Number(r.nanos) : r.nanos } : {}),
            observedTimeUnixNano: '1767225600000000000',
            severityNumber: 9,
            ...(r.where === 'eventName' ? { eventName: r.name } : {}),
            body: r.where === 'body' ? str(r.name) : { kvlistValue: { values: [] } },
            attributes: [
              ...(r.where === 'attribute' ? [kv('event.name', str(r.name))] : []),
              kv('spine.record_id', str(r.id)),
              kv(
                'spine.tool_calls',
                typeof r.calls === 'number' ? { intValue: r.calls } : { intValue: r.calls },
              ),
              kv('spine.near_misses_by_guardrail', {
                kvlistValue: {
                  values: Object.entries(r.rules).map(([k, n]) => kv(k, { intValue: String(n) })),
                },
              }),
              kv('spine.skills_shared', { kvlistValue: { values: [kv('review', { intValue: '2' })] } }),
              kv('decision', str(r.decision)),
              kv('source', str(r.source)),
              kv('session.id', str(r.session)),
              ...(r.person === undefined ? [] : [kv('spine.person', str(r.person))]),
              ...r.noise.map(([k, v]: [string, unknown]) => kv(k, { arrayValue: { values: [v] } })),
            ],
          })),
        },
      ],
    })),
  };
}

const plain = (e: Extracted) => ({
  ...e,
  unattributedBySession: [...e.unattributedBySession].sort((x, y) => x[0] - y[0]),
  clientDays: [...e.clientDays].map(([k, cd]) => [k, { ...cd, sessions: [...cd.sessions].sort() }]),
});

describe('scanLogsRequest', () => {
  it('counts exactly what JSON.parse would, whatever the key order, whitespace and escapes', () => {
    fc.assert(
      fc.property(request, fc.integer(), fc.boolean(), (req, seed, compact) => {
        let state = seed;
        const rnd = () => {
          state = (Math.imul(state, 1103515245) + 12345) | 0;
          return ((state >>> 8) & 0xffff) / 0x10000;
        };
        // Compact, as a Collector writes it, or any key order and whitespace JSON allows.
        const line = compact ? JSON.stringify(toOtlp(req)) : write(toOtlp(req), rnd);
        expect(plain(scan(line))).toEqual(plain(oracle(line)));
      }),
      { numRuns: 300 },
    );
  });

  it('reads a resource that comes after its records', () => {
    const line = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1767225600000000000","eventName":"spine.near_miss"}]}],"resource":{"attributes":[{"key":"spine.repo","value":{"stringValue":"github.com/acme/x"}}]}}]}`;
    const got = scan(line);
    expect(got.records).toBe(1);
    expect(got.unattributed).toBe(0);
    expect(got.nearMissRecords).toBe(1);
  });

  it('decodes escaped and non-ASCII strings', () => {
    const line = JSON.stringify({
      resourceLogs: [
        {
          resource: {
            attributes: [kv('spine.repo', str('gitlab.example/é/x')), kv('spine.team', str('pay"ments'))],
          },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1767225600000000000',
                  attributes: [
                    kv('event.name', str('spine.session')),
                    kv('spine.record_id', str('ab\u00e9\\"')),
                    kv('spine.tool_calls', { intValue: '3' }),
                  ],
                },
              ],
            },
          ],
        },
      ],
    }).replace('spine.session', 'spine\\u002esession');
    const [session] = scan(line).sessions;
    expect(session).toMatchObject({
      id: 'ab\u00e9\\"',
      repo: 'gitlab.example/é/x',
      team: 'pay"ments',
      toolCalls: 3,
      day: '2026-01-01',
    });
  });

  it('tells other signals from logs', () => {
    expect(scanLogsRequest(new TextEncoder().encode('{"resourceMetrics":[]}'), emptyExtracted())).toBe(
      'other',
    );
    expect(scanLogsRequest(new TextEncoder().encode(' {"resourceLogs":[]} '), emptyExtracted())).toBe('logs');
  });

  it.each([
    ['not JSON', 'hello'],
    ['an array', '[1,2]'],
    ['a request of nothing', '{"foo":1}'],
    [
      'truncated',
      '{"resourceLogs":[{"resource":{"attributes":[]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"1',
    ],
    [
      'an unterminated string',
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"abc}}]}]}]}',
    ],
    ['garbage after it', '{"resourceLogs":[]} x'],
    ['a missing comma', '{"resourceLogs":[] "x":1}'],
  ])('refuses %s, counting nothing of the line', (_what, line) => {
    const into = emptyExtracted();
    expect(() => scanLogsRequest(new TextEncoder().encode(line), into)).toThrow(ScanError);
    expect(into.records).toBe(0);
  });
});
