import { describe, expect, it } from 'vitest';
import { parseCodeowners } from '../../src/core/zones/codeowners.js';
import { buildZoneMap } from '../../src/core/zones/zone-map.js';
import { zoneGlob, zonePatternProblem } from '../../src/core/zones/zone-pattern.js';
import { otlpLogsRequest } from '../../src/hooks/otlp-request.js';
import { summariseSession } from '../../src/hooks/session-summary.js';
import type { AuditRecord } from '../../src/hooks/types.js';
import { zoneMatcher } from '../../src/hooks/zones.js';

const locate = () => ({ line: 1, column: 1 });

describe('team zones', () => {
  it('reads CODEOWNERS patterns as CODEOWNERS does: a directory covers what is below it, the last match wins', () => {
    expect(['/apps/web/', 'docs/', '*.md', 'apps/*', '*', '/a/**'].map(zoneGlob)).toEqual([
      '/apps/web/**',
      'docs/**',
      '*.md/**',
      'apps/*',
      '**',
      '/a/**',
    ]);
    const map = buildZoneMap(
      {
        zones: [
          { team: 'web', paths: ['/apps/'] },
          { team: 'pay', paths: ['/apps/pay/'] },
        ],
      },
      locate,
      'local.yaml',
    ).map!;
    const zoneOf = zoneMatcher(map.rules, '/r', '/home/u');
    expect(['/r/apps/web', '/r/apps/pay/src/a.ts', '/r/lib', '/r/apps'].map(zoneOf)).toEqual([
      'web',
      'pay',
      undefined,
      'web',
    ]);
  });

  it('refuses what CODEOWNERS cannot hold, at its line', () => {
    for (const bad of ['!x', 'a/[bc]', 'a\\ b', '../x', '~/x', '//etc', 'a b', '', '***'])
      expect(zonePatternProblem(bad), bad).toBeDefined();
    const parsed = parseCodeowners('CODEOWNERS', '# c\n/ok/ @o/a\n\n/bad/[x] @o/a\n/x/ not-an-owner\n');
    expect(parsed.lines).toEqual([{ line: 2, pattern: '/ok/', owners: ['@o/a'] }]);
    expect(parsed.problems.map((p) => p.line)).toEqual([4, 5]);
  });

  it('maps CODEOWNERS owners to zones: listed owners, else @team and @org/team', () => {
    const { lines } = parseCodeowners('CODEOWNERS', '/a/ @acme/web\n/b/ @x @pay-people\n/c/ @nobody\n');
    const map = buildZoneMap(
      { from: 'codeowners', zones: [{ team: 'web' }, { team: 'pay', owners: ['@pay-people'] }] },
      locate,
      'local.yaml',
      { file: 'CODEOWNERS', lines },
    ).map!;
    expect(map.rules).toEqual([
      { team: 'web', glob: '/a/**' },
      { team: 'pay', glob: '/b/**' },
    ]);
  });

  it("a session's zone and each near-miss's zone reach spine's OTLP records", () => {
    const base = { session_id: 's', agent_id: null, agent_type: null, tool_use_id: null, spine_version: '1' };
    const records = [
      {
        ...base,
        ts: '2026-12-01T10:00:00Z',
        event: 'PreToolUse',
        tool_name: 'Bash',
        zone: 'web',
        decision: 'deny',
        rule: 'secret-dotenv',
        tool_use_id: 't1',
      },
      {
        ...base,
        ts: '2026-12-01T10:00:01Z',
        event: 'PreToolUse',
        tool_name: 'Bash',
        zone: 'web',
        decision: 'allow',
        rule: null,
      },
      {
        ...base,
        ts: '2026-12-01T10:00:02Z',
        event: 'PreToolUse',
        tool_name: 'Read',
        zone: 'pay',
        decision: 'allow',
        rule: null,
      },
    ] as AuditRecord[];
    const summary = summariseSession(records, new Set());
    expect(summary.zone).toBe('web');
    const request = JSON.stringify(otlpLogsRequest([summary], {}, '1'));
    expect(request.match(/"spine\.zone","value":\{"stringValue":"web"\}/g)).toHaveLength(2);
  });
});

describe('the zone map the hook reads', () => {
  it('labels no record with a team name spine would refuse (text the agent wrote never leaves as a zone)', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readZones } = await import('../../src/hooks/zones.js');
    const dir = mkdtempSync(join(tmpdir(), 'zones-'));
    const file = join(dir, 'spine-zones.json');
    writeFileSync(
      file,
      JSON.stringify({
        rules: [
          { team: 'web', glob: '/a/**' },
          { team: 'sk_live_0123456789abcdef\nleak', glob: '/b/**' },
          { team: 'x'.repeat(81), glob: '/c/**' },
        ],
      }),
    );
    const zoneOf = readZones(file, '/r', '/h', () => {})!;
    expect(['/r/a/x', '/r/b/x', '/r/c/x'].map(zoneOf)).toEqual(['web', undefined, undefined]);
  });
});
