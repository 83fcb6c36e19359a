import { describe, expect, it } from 'vitest';
import type { SettingsEntry } from '../../src/core/render/desired-state.js';
import { hookGroup } from '../../src/core/render/settings-entries.js';
import { mergeSettings } from '../../src/core/settings/merge-settings.js';

const rule = (list: 'deny' | 'ask' | 'allow', value: string): SettingsEntry => ({
  kind: 'rule',
  key: `permissions.${list}:${value}`,
  id: 'x',
  level: 'locked',
  list,
  value,
});

describe('mergeSettings', () => {
  it('creates a file with two-space indent and a final newline', () => {
    const { text } = mergeSettings(undefined, [rule('deny', 'Read(.env)')]);
    expect(text).toBe('{\n  "permissions": {\n    "deny": [\n      "Read(.env)"\n    ]\n  }\n}\n');
  });

  it('appends to existing arrays, keeps tabs, key order and the team’s entries', () => {
    const before = '{\n\t"z": 1,\n\t"permissions": {\n\t\t"deny": ["Bash(rm:*)"]\n\t}\n}\n';
    const { text, added } = mergeSettings(before, [
      rule('deny', 'Read(.env)'),
      rule('ask', 'Bash(git push:*)'),
    ]);
    expect(added).toHaveLength(2);
    expect(text.startsWith('{\n\t"z": 1,')).toBe(true);
    const value = JSON.parse(text);
    expect(value.permissions.deny).toEqual(['Bash(rm:*)', 'Read(.env)']);
    expect(value.permissions.ask).toEqual(['Bash(git push:*)']);
  });

  it('does not duplicate an entry that is present, and reports it', () => {
    const before = '{"permissions":{"deny":["Read(.env)"]}}';
    const result = mergeSettings(before, [rule('deny', 'Read(.env)')]);
    expect(result.text).toBe(before);
    expect([...result.present]).toEqual(['permissions.deny:Read(.env)']);
  });

  it('keeps CRLF and a missing final newline as they were', () => {
    const before = '{\r\n  "env": {}\r\n}';
    const { text } = mergeSettings(before, [rule('deny', 'Read(.env)')]);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(text.endsWith('}')).toBe(true);
  });

  it('adds a hook group beside the team’s own hooks of the same event', () => {
    const before = JSON.stringify({
      hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'x' }] }] },
    });
    const entry: SettingsEntry = {
      kind: 'hook',
      key: 'hooks.PreToolUse:spine',
      id: 'g',
      level: 'locked',
      event: 'PreToolUse',
      value: hookGroup('PreToolUse'),
    };
    const value = JSON.parse(mergeSettings(before, [entry]).text);
    expect(value.hooks.PreToolUse).toHaveLength(2);
    expect(value.hooks.PreToolUse[1].hooks[0].command).toContain('.claude/hooks/spine-hook.cjs');
    expect(mergeSettings(JSON.stringify(value), [entry]).added).toEqual([]);
  });
});
