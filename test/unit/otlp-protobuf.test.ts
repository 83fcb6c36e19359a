import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeLogsRequest } from '../../src/hooks/otlp-protobuf.js';
import {
  type AnyValue,
  type KeyValue,
  type LogsRequest,
  otlpLogsRequest,
} from '../../src/hooks/otlp-request.js';
import type { SessionSummary } from '../../src/hooks/session-summary.js';
import { canonicalOtlpJson, decodeRequest, requestType } from '../helpers/otlp-proto.js';

/**
 * The hook's hand-written protobuf encoder, read back by protobufjs against the official
 * opentelemetry-proto files: what the independent decoder finds must be exactly what the JSON
 * encoding of the same request says, as a Collector's file exporter would store either.
 */

const viaJson = (request: LogsRequest) => JSON.parse(JSON.stringify(canonicalOtlpJson(request)));
const viaProtobuf = (request: LogsRequest) =>
  JSON.parse(JSON.stringify(decodeRequest('/v1/logs', encodeLogsRequest(request))));

function session(over: Partial<SessionSummary> = {}): SessionSummary {
  return {
    sessionId: '5b1e0c9e-4a1f-4b7e-9a55-0c1d2e3f4a5b',
    startMs: Date.parse('2026-11-30T09:12:03.456Z'),
    endMs: Date.parse('2026-11-30T09:41:10.001Z'),
    ended: true,
    spineVersion: '2.3.0',
    toolCallsByAgent: { main: 41, 'general-purpose': 7 },
    nearMisses: [
      {
        guardrail: 'secret-dotenv',
        tool: 'Bash',
        agentType: 'main',
        layer: 'guard',
        decision: 'deny',
        key: 'a',
      },
      {
        guardrail: 'secret-dotenv',
        tool: 'Read',
        agentType: 'main',
        layer: 'rule',
        decision: 'deny',
        key: 'b',
      },
      {
        guardrail: 'no-force-push',
        tool: 'Bash',
        agentType: 'Explore',
        layer: 'rule',
        decision: 'ask',
        key: 'c',
      },
    ],
    skillsShared: { 'review-change': 2, 'écrire-ü-日本': 1 },
    skillsLocal: {},
    subagentsByType: { 'general-purpose': 1 },
    ...over,
  };
}

describe('OTLP protobuf encoding of spine records', () => {
  it('carries a realistic request exactly as its JSON encoding does', () => {
    const request = otlpLogsRequest(
      [session(), session({ sessionId: 's2', nearMisses: [], toolCallsByAgent: {}, subagentsByType: {} })],
      { 'spine.team': 'payments', 'spine.repo': 'github.com/acme/payments', 'spine.champion': 'Zoë 🚀' },
      '2.3.0',
    );
    const decoded = viaProtobuf(request);
    expect(decoded).toEqual(viaJson(request));
    // What the checks above rest on: the decoder really saw our fields, not an empty message.
    const records = decoded.resourceLogs[0].scopeLogs[0].logRecords;
    expect(records).toHaveLength(5);
    expect(records[0].eventName).toBe('spine.session');
    expect(records[0].timeUnixNano).toBe(`${Date.parse('2026-11-30T09:12:03.456Z')}000000`);
    const counts = records[0].attributes.find(
      (a: KeyValue) => a.key === 'spine.near_misses_by_guardrail',
    ).value;
    expect(counts).toEqual({
      kvlistValue: {
        values: [
          { key: 'secret-dotenv', value: { intValue: '2' } },
          { key: 'no-force-push', value: { intValue: '1' } },
        ],
      },
    });
    // An empty map is an empty KeyValueList, and a zero count is still a value.
    const second = records[4].attributes;
    expect(second.find((a: KeyValue) => a.key === 'spine.skills_local').value).toEqual({ kvlistValue: {} });
    expect(second.find((a: KeyValue) => a.key === 'spine.near_misses').value).toEqual({ intValue: '0' });
  });

  it('keeps 64-bit integers whole, negative ints, zero and empty strings in a oneof', () => {
    const values: AnyValue[] = [
      { intValue: '9223372036854775807' },
      { intValue: '-9223372036854775808' },
      { intValue: '-1' },
      { intValue: '0' },
      { stringValue: '' },
      { boolValue: false },
      { doubleValue: 0 },
      { doubleValue: -1.5e300 },
      { arrayValue: { values: [] } },
      { arrayValue: { values: [{ stringValue: 'x' }, { kvlistValue: { values: [] } }] } },
    ];
    const request: LogsRequest = {
      resourceLogs: [
        {
          resource: { attributes: [] },
          scopeLogs: [
            {
              scope: { name: 'dev.spine.audit' },
              logRecords: [
                {
                  timeUnixNano: '18446744073709551615',
                  observedTimeUnixNano: '1',
                  severityNumber: 9,
                  severityText: 'INFO',
                  attributes: values.map((value, i) => ({ key: `k${i}`, value })),
                },
                {},
              ],
            },
          ],
        },
      ],
    };
    expect(viaProtobuf(request)).toEqual(viaJson(request));
    expect(viaProtobuf({ resourceLogs: [] })).toEqual({});
  });

  it('encodes bytes protobufjs itself would accept for the same message (fromObject → decode)', () => {
    const request = otlpLogsRequest([session()], { 'spine.team': 'payments' }, '2.3.0');
    const type = requestType('/v1/logs');
    // protobufjs can encode the JSON form too; both decode to the same message.
    const theirs = type.encode(type.fromObject(request)).finish();
    expect(decodeRequest('/v1/logs', encodeLogsRequest(request))).toEqual(decodeRequest('/v1/logs', theirs));
  });

  it('round-trips any request of the shapes spine sends (property)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
    const fixed64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String);
    const { value } = fc.letrec<{ value: AnyValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        text.map((s) => ({ stringValue: s })),
        fc.boolean().map((b) => ({ boolValue: b })),
        int64.map((s) => ({ intValue: s })),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => ({ doubleValue: d })),
        fc.array(tie('value'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
        fc
          .array(fc.record({ key: text, value: tie('value') }), { maxLength: 3 })
          .map((values) => ({ kvlistValue: { values } })),
      ),
    }));
    const kvs = fc.array(fc.record({ key: text, value }), { maxLength: 4 });
    const record = fc.record(
      {
        timeUnixNano: fixed64,
        observedTimeUnixNano: fixed64,
        severityNumber: fc.integer({ min: 0, max: 24 }),
        severityText: text,
        body: value,
        attributes: kvs,
        eventName: text,
      },
      { requiredKeys: [] },
    );
    const request = fc.record({
      resourceLogs: fc.array(
        fc.record({
          resource: fc.record({ attributes: kvs }),
          scopeLogs: fc.array(
            fc.record({
              scope: fc.record({ name: text, version: text }),
              logRecords: fc.array(record, { maxLength: 4 }),
            }),
            { maxLength: 2 },
          ),
        }),
        { maxLength: 2 },
      ),
    });
    fc.assert(
      fc.property(request, (r) => {
        expect(viaProtobuf(r as LogsRequest)).toEqual(viaJson(r as LogsRequest));
      }),
      { numRuns: 300 },
    );
  });
});
