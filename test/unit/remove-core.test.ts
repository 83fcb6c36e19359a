import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unmergeSettings } from '../../src/core/remove/unmerge-settings.js';
import { isUntouchedSeed, withoutBlock, withoutGitignoreLines } from '../../src/core/remove/unmerge-text.js';
import { withBlock } from '../../src/core/render/claude-block.js';
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
const SPINE: SettingsEntry[] = [
  rule('deny', 'Read(**/.env)'),
  rule('ask', 'Bash(git push:*)'),
  {
    kind: 'setting',
    key: 'sandbox.enabled',
    id: 's',
    level: 'locked',
    path: ['sandbox', 'enabled'],
    value: true,
  },
  { kind: 'env', key: 'env:SPINE_TEAM', id: 'e', level: 'default', name: 'SPINE_TEAM', value: 'payments' },
  {
    kind: 'item',
    key: 'sandbox.filesystem.denyRead[]:~/.ssh/**',
    id: 'i',
    level: 'locked',
    path: ['sandbox', 'filesystem', 'denyRead'],
    value: '~/.ssh/**',
  },
  {
    kind: 'hook',
    key: 'hooks.PreToolUse:spine',
    id: 'h',
    level: 'locked',
    event: 'PreToolUse',
    value: hookGroup('PreToolUse'),
  },
];

describe('unmergeSettings: the inverse of the merge', () => {
  it('gives back the team file byte for byte, tabs, CRLF and a BOM included', () => {
    for (const team of [
      '{\n  "model": "opus",\n  "permissions": {\n    "allow": [\n      "Bash(npm test)"\n    ]\n  }\n}\n',
      '\uFEFF{\r\n\t"env": {\r\n\t\t"A": "1"\r\n\t},\r\n\t"hooks": {\r\n\t\t"PreToolUse": [\r\n\t\t\t{\r\n\t\t\t\t"hooks": []\r\n\t\t\t}\r\n\t\t]\r\n\t}\r\n}\r\n',
      '{}',
    ]) {
      const merged = mergeSettings(team, SPINE);
      expect(merged.added).toHaveLength(SPINE.length);
      const back = unmergeSettings(merged.text, SPINE, new Set());
      expect(back.removed).toHaveLength(SPINE.length);
      expect(back.text ?? '{}').toBe(team);
    }
  });

  it('a file spine created is deleted (undefined), one with the team’s keys is kept', () => {
    const created = mergeSettings(undefined, SPINE).text;
    expect(unmergeSettings(created, SPINE, new Set()).text).toBeUndefined();
  });

  it('keeps what the team had before spine and what it changed since', () => {
    const merged = JSON.parse(mergeSettings('{"permissions":{"deny":["Read(**/.env)"]}}', SPINE).text);
    merged.sandbox.enabled = false;
    const back = unmergeSettings(
      JSON.stringify(merged, null, 2),
      SPINE,
      new Set(['permissions.deny:Read(**/.env)']),
    );
    expect(JSON.parse(back.text!)).toEqual({
      permissions: { deny: ['Read(**/.env)'] },
      sandbox: { enabled: false },
    });
    expect(back.kept.map((k) => k.key).sort()).toEqual(['permissions.deny:Read(**/.env)', 'sandbox.enabled']);
  });

  it('property: any pretty-printed team file with keys of its own comes back unchanged', () => {
    const key = fc.constantFrom('model', 'statusLine', 'includeCoAuthoredBy', 'cleanupPeriodDays');
    const team = fc.record(
      {
        extra: fc.dictionary(key, fc.oneof(fc.string(), fc.boolean(), fc.integer())),
        allow: fc.array(fc.constantFrom('Bash(npm test)', 'Read(src/**)', 'WebFetch'), { minLength: 1 }),
        env: fc.dictionary(fc.constantFrom('A', 'B', 'NODE_ENV'), fc.string()),
        indent: fc.constantFrom(2, 4, '\t'),
      },
      { requiredKeys: ['extra', 'allow', 'indent'] },
    );
    fc.assert(
      fc.property(team, ({ extra, allow, env, indent }) => {
        const value = {
          ...extra,
          permissions: { allow },
          ...(env && Object.keys(env).length ? { env } : {}),
        };
        const text = `${JSON.stringify(value, null, indent)}\n`;
        expect(unmergeSettings(mergeSettings(text, SPINE).text, SPINE, new Set()).text).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('CLAUDE.md and .gitignore', () => {
  const body = '## Org spine\n\n@.claude/spine/GLOSSARY.md';
  it('takes out the block init appended, every other byte kept (LF and CRLF)', () => {
    for (const team of ['# Team\n\nnotes\n', '# Team\r\n\r\nnotes\r\n', '', '# Team\n\nnotes\n\n']) {
      expect(withoutBlock(withBlock(team, body, 'unused'))).toBe(team);
    }
    expect(withoutBlock('# Team\n')).toBeUndefined();
  });

  it('keeps what the team wrote after the block', () => {
    const text = `${withBlock('# Team\n', body, '')}## Later notes\n`;
    expect(withoutBlock(text)).toBe('# Team\n\n## Later notes\n');
  });

  it("recognises init's seed, never edited, and not one with the team's notes", () => {
    const seed = '# payments\n\nNotes.\n\n{{SPINE_BLOCK}}\n';
    const seeded = withBlock(undefined, body, seed);
    expect(isUntouchedSeed(seeded, seed)).toBe(true);
    expect(isUntouchedSeed(seeded.replace('Notes.', 'Notes. Build with make.'), seed)).toBe(false);
  });

  it('removes the lines init added to .gitignore only', () => {
    expect(withoutGitignoreLines('node_modules/\n# spine: runtime audit log\n.spine/audit/\n')).toBe(
      'node_modules/\n',
    );
    expect(withoutGitignoreLines('a\r\n# spine: runtime audit log\r\n.spine/audit/\r\nb\r\n')).toBe(
      'a\r\nb\r\n',
    );
    expect(withoutGitignoreLines('# spine: runtime audit log\n.spine/audit/\n')).toBe('');
    expect(withoutGitignoreLines('node_modules/\n')).toBeUndefined();
  });
});
