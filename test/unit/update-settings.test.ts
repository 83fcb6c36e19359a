import { describe, expect, it } from 'vitest';
import type { LockedEntry } from '../../src/core/lock/lock.js';
import type { SettingsEntry } from '../../src/core/render/desired-state.js';
import { mergeSettingsThreeWay } from '../../src/core/update/settings-three-way.js';

const locked = (key: string, value: unknown, owner: 'spine' | 'team' = 'spine', id = 'g'): LockedEntry => ({
  key,
  id,
  level: 'default',
  owner,
  value,
});
const rule = (list: 'deny' | 'ask', value: string, id = 'g'): SettingsEntry => ({
  kind: 'rule',
  key: `permissions.${list}:${value}`,
  id,
  level: 'default',
  list,
  value,
});
const env = (name: string, value: string): SettingsEntry => ({
  kind: 'env',
  key: `env:${name}`,
  id: 'audit',
  level: 'default',
  name,
  value,
});

function merge(text: string, base: LockedEntry[], theirs: SettingsEntry[]) {
  return mergeSettingsThreeWay({ text, base, theirs, moves: [] });
}

describe('settings three-way merge', () => {
  it('ours = base takes theirs; theirs = base keeps ours', () => {
    const text = '{\n  "env": {\n    "A": "1",\n    "B": "team"\n  }\n}\n';
    const result = merge(
      text,
      [locked('env:A', '1', 'spine', 'audit'), locked('env:B', '1', 'spine', 'audit')],
      [env('A', '2'), env('B', '1')],
    );
    expect(JSON.parse(result.text).env).toEqual({ A: '2', B: 'team' });
    expect(result.pending).toEqual([]);
    expect(result.rows.map((r) => r.sign)).toEqual(['~']);
  });

  it('the same change on both sides is fine; different changes conflict and keep ours', () => {
    const text = '{"env": {"A": "2", "B": "team"}}';
    const result = merge(
      text,
      [locked('env:A', '1', 'spine', 'audit'), locked('env:B', '1', 'spine', 'audit')],
      [env('A', '2'), env('B', 'up')],
    );
    expect(result.text).toBe(text);
    expect(result.pending).toEqual([
      { kind: 'setting', key: 'env:B', id: 'audit', ours: 'team', theirs: 'up' },
    ]);
    expect(result.rows).toEqual([expect.objectContaining({ sign: '!', key: 'env:B' })]);
  });

  it('removed here vs changed upstream is a conflict; removed vs kept stays removed', () => {
    const text = '{"env": {}}';
    const result = merge(
      text,
      [locked('env:A', '1', 'spine', 'audit'), locked('env:B', '1', 'spine', 'audit')],
      [env('A', '2'), env('B', '1')],
    );
    expect(result.pending).toEqual([expect.objectContaining({ key: 'env:A', ours: null, theirs: '2' })]);
    expect(result.rows.find((r) => r.key === 'env:B')?.sign).toBe('=');
    expect(result.changed).toBe(false);
  });

  it('removes a dropped rule at its exact index, keeping tabs and CRLF', () => {
    const text =
      '{\r\n\t"permissions": {\r\n\t\t"deny": [\r\n\t\t\t"Team(x)",\r\n\t\t\t"Read(a)",\r\n\t\t\t"Read(b)"\r\n\t\t]\r\n\t}\r\n}\r\n';
    const result = merge(
      text,
      [
        locked('permissions.deny:Read(a)', 'Read(a)'),
        locked('permissions.deny:Read(b)', 'Read(b)', 'spine', 'h'),
      ],
      [rule('deny', 'Read(b)', 'h')],
    );
    expect(result.text).toBe(
      '{\r\n\t"permissions": {\r\n\t\t"deny": [\r\n\t\t\t"Team(x)",\r\n\t\t\t"Read(b)"\r\n\t\t]\r\n\t}\r\n}\r\n',
    );
  });

  it('never removes an entry the team owned before init', () => {
    const text = '{"permissions": {"deny": ["Read(a)"]}}';
    const result = merge(text, [locked('permissions.deny:Read(a)', 'Read(a)', 'team')], []);
    expect(result.changed).toBe(false);
    expect(result.rows[0]?.sign).toBe('=');
  });

  it('replaces a changed rule of the same guardrail in place', () => {
    const text = '{"permissions": {"ask": ["A", "Old(x)", "Z"]}}';
    const result = merge(text, [locked('permissions.ask:Old(x)', 'Old(x)')], [rule('ask', 'New(x)')]);
    expect(JSON.parse(result.text).permissions.ask).toEqual(['A', 'New(x)', 'Z']);
    expect(result.rows[0]).toMatchObject({ sign: '~', key: 'permissions.ask:New(x)' });
  });

  it('records a new entry the team already had as present before (team-owned)', () => {
    const text = '{"permissions": {"ask": ["New(x)"]}}';
    const result = merge(text, [], [rule('ask', 'New(x)')]);
    expect(result.changed).toBe(false);
    expect([...result.presentBefore]).toEqual(['permissions.ask:New(x)']);
  });

  it('rewrites hook commands that name a moved script', () => {
    const text = '{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "sh a/old.sh"}]}]}}';
    const result = mergeSettingsThreeWay({
      text,
      base: [],
      theirs: [],
      moves: [{ from: 'a/old.sh', to: 'a/new.sh' }],
    });
    expect(JSON.parse(result.text).hooks.Stop[0].hooks[0].command).toBe('sh a/new.sh');
  });
});
