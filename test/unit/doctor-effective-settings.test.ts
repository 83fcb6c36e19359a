import { describe, expect, it } from 'vitest';
import {
  effectiveSettings,
  entryFromLock,
  entryState,
  ruleState,
  scalarAt,
} from '../../src/core/effective-settings.js';
import { hookGroup } from '../../src/core/render/settings-entries.js';

const layers = (project: object, local: object = {}) =>
  effectiveSettings([
    { file: '.claude/settings.json', value: project as Record<string, unknown> },
    { file: '.claude/settings.local.json', value: local as Record<string, unknown> },
  ]);

describe('effective settings: is a spine rule still in force?', () => {
  it('a deny in either file is in force; arrays concatenate across files', () => {
    expect(ruleState(layers({}, { permissions: { deny: ['Read(.env)'] } }), 'deny', 'Read(.env)').state).toBe(
      'in-force',
    );
    expect(ruleState(layers({ permissions: { deny: ['Read(.env)'] } }), 'deny', 'Read(.env)').state).toBe(
      'in-force',
    );
  });

  it('compares normalised rules: Task(x) is Agent(x), Bash(*) is Bash', () => {
    expect(
      ruleState(layers({ permissions: { deny: ['Task(Explore)'] } }), 'deny', 'Agent(Explore)').state,
    ).toBe('in-force');
  });

  it('a stricter rule that covers it keeps it in force', () => {
    expect(ruleState(layers({ permissions: { deny: ['Bash'] } }), 'deny', 'Bash(git push:*)').state).toBe(
      'in-force',
    );
    expect(
      ruleState(layers({ permissions: { deny: ['Bash(git push:*)'] } }), 'ask', 'Bash(git push:*)').state,
    ).toBe('in-force');
    expect(ruleState(layers({ permissions: { deny: ['Read(**)'] } }), 'deny', 'Read(**/.env)').state).toBe(
      'in-force',
    );
  });

  it('an ask rule does not keep a deny in force: it is demoted', () => {
    const state = ruleState(layers({ permissions: { ask: ['Read(.env)'] } }), 'deny', 'Read(.env)');
    expect(state.state).toBe('demoted');
  });

  it('moved to allow is "allowed"; an allow next to the deny is reported but the deny stays in force', () => {
    expect(ruleState(layers({ permissions: { allow: ['Read(.env)'] } }), 'deny', 'Read(.env)').state).toBe(
      'allowed',
    );
    const both = ruleState(
      layers({ permissions: { deny: ['Read(.env)'] } }, { permissions: { allow: ['Read(.env)'] } }),
      'deny',
      'Read(.env)',
    );
    expect(both).toMatchObject({
      state: 'in-force',
      alsoAllowed: [{ file: '.claude/settings.local.json', index: 0 }],
    });
  });

  it('gone from every list is missing', () => {
    expect(ruleState(layers({ permissions: { deny: ['Read(x)'] } }), 'deny', 'Read(.env)').state).toBe(
      'missing',
    );
  });

  it('scalars: settings.local.json wins over settings.json', () => {
    const s = layers({ permissions: { defaultMode: 'default' } }, { permissions: { defaultMode: 'plan' } });
    expect(scalarAt(s, ['permissions', 'defaultMode'])).toEqual({
      file: '.claude/settings.local.json',
      value: 'plan',
    });
  });

  it('hooks: found by their script, changed when the group differs, missing when gone', () => {
    const entry = entryFromLock({
      key: 'hooks.Stop:spine',
      id: 'audit-log',
      level: 'locked',
      owner: 'spine',
      value: hookGroup('Stop'),
    })!;
    expect(entryState(layers({ hooks: { Stop: [hookGroup('Stop')] } }), entry).state).toBe('in-force');
    const edited = { ...hookGroup('Stop'), hooks: [{ ...hookGroup('Stop').hooks[0]!, timeout: 1 }] };
    expect(entryState(layers({}, { hooks: { Stop: [edited] } }), entry)).toMatchObject({
      state: 'changed',
      file: '.claude/settings.local.json',
    });
    expect(entryState(layers({ hooks: { Stop: [] } }), entry).state).toBe('missing');
  });

  it('rebuilds every kind of lock entry from its key', () => {
    const base = { id: 'x', level: 'locked' as const, owner: 'spine' as const };
    expect(entryFromLock({ ...base, key: 'permissions.ask:Bash(x)', value: 'Bash(x)' })).toMatchObject({
      kind: 'rule',
      list: 'ask',
    });
    expect(entryFromLock({ ...base, key: 'env:OTEL_X', value: '1' })).toMatchObject({
      kind: 'env',
      name: 'OTEL_X',
    });
    expect(
      entryFromLock({ ...base, key: 'permissions.disableBypassPermissionsMode', value: 'disable' }),
    ).toMatchObject({ kind: 'setting', path: ['permissions', 'disableBypassPermissionsMode'] });
    expect(entryFromLock({ ...base, key: 'weird:key', value: 3 })).toBeUndefined();
  });
});
