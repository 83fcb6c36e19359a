import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SettingsEntry } from '../../src/core/render/desired-state.js';
import { renderDesiredState } from '../../src/core/render/render.js';
import { hookGroup } from '../../src/core/render/settings-entries.js';
import { itemKey } from '../../src/core/sandbox/settings-item.js';
import { mergeSettings } from '../../src/core/settings/merge-settings.js';
import { loadSpine } from '../../src/spine/load.js';
import { readSpineDirectory } from '../../src/spine/sources/directory.js';
import { EMBEDDED_SPINE_DIR } from '../../src/spine/sources/resolve.js';

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

  // A new file is printed from the intended object; an existing `{}` goes through one jsonc edit
  // per entry. Both must give the same bytes.
  it('writes a new file byte for byte as the entry-by-entry edits of an empty object would', async () => {
    const { spine } = await loadSpine(readSpineDirectory(EMBEDDED_SPINE_DIR, 'spine/'));
    const { settings } = renderDesiredState({
      spine: spine!,
      team: 'payments',
      attribution: { champion: '@x', repo: 'github.com/acme/pay' },
      hookFiles: [],
      toolchains: spine!.toolchains.map((t) => t.id),
    });
    expect(settings.length).toBeGreaterThan(50);
    const fresh = mergeSettings(undefined, settings);
    expect(fresh.text).toBe(mergeSettings('{}\n', settings).text);
    expect(fresh.added).toHaveLength(settings.length);
  });

  it('writes any new file as the edits of an empty object would (property)', () => {
    const name = fc.stringMatching(/^[a-zA-Z][a-zA-Z.*: ()/_-]{0,12}$/);
    const path = (...paths: string[][]) => fc.constantFrom(...paths).map((p) => [...p]);
    const entry: fc.Arbitrary<SettingsEntry> = fc.oneof(
      fc
        .tuple(fc.constantFrom<'deny' | 'ask' | 'allow'>('deny', 'ask', 'allow'), name)
        .map(([list, value]): SettingsEntry => rule(list, value)),
      fc.tuple(path(['sandbox', 'enabled'], ['model'], ['a', 'b', 'c']), fc.oneof(name, fc.boolean())).map(
        ([p, value]): SettingsEntry => ({
          kind: 'setting',
          key: p.join('.'),
          id: 'x',
          level: 'locked',
          path: p,
          value,
        }),
      ),
      name.map(
        (value): SettingsEntry => ({
          kind: 'env',
          key: `env:${value}`,
          id: 'x',
          level: 'locked',
          name: value,
          value,
        }),
      ),
      fc.constantFrom('PreToolUse', 'Stop').map(
        (event): SettingsEntry => ({
          kind: 'hook',
          key: `hooks.${event}:spine`,
          id: 'x',
          level: 'locked',
          event,
          value: hookGroup(event),
        }),
      ),
      fc
        .tuple(path(['sandbox', 'filesystem', 'denyRead'], ['sandbox', 'x']), name, fc.boolean())
        .map(([p, value, object]): SettingsEntry => {
          const item = object ? { name: value, mode: 'deny' as const } : value;
          return { kind: 'item', key: itemKey(p, item), id: 'x', level: 'locked', path: p, value: item };
        }),
    );
    // Distinct keys and one value per setting path, as a rendered spine has.
    const entries = fc
      .array(entry, { maxLength: 30 })
      .map((list) => list.filter((e, i) => list.findIndex((o) => o.key === e.key) === i));
    fc.assert(
      fc.property(entries, (list) => {
        expect(mergeSettings(undefined, list).text).toBe(mergeSettings('{}\n', list).text);
      }),
    );
  });
});
