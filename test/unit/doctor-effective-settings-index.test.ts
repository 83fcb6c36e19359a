import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EffectiveSettings,
  type EntryState,
  effectiveSettings,
  itemState,
  type PlacedRule,
  type RuleList,
  ruleState,
} from '../../src/core/effective-settings.js';
import { normaliseRule, patternCovers } from '../../src/core/permission-rule.js';
import { itemIdentity, sameItem } from '../../src/core/sandbox/settings-item.js';

// Doctor looks rules and array elements up through indexes built once per settings. These
// references are the plain scans they replaced: every element and every rule compared in turn.

function referenceItemState(settings: EffectiveSettings, path: string[], value: unknown): EntryState {
  const identity = itemIdentity(value);
  let changed: EntryState | undefined;
  for (const layer of settings.layers) {
    let list: unknown = layer.value;
    for (const key of path) list = (list as Record<string, unknown> | undefined)?.[key];
    for (const [index, element] of (Array.isArray(list) ? list : []).entries()) {
      if (sameItem(element, value)) return { state: 'in-force', alsoAllowed: [] };
      if (!changed && itemIdentity(element) === identity)
        changed = { state: 'changed', file: layer.file, value: element, index };
    }
  }
  return changed ?? { state: 'missing' };
}

function referenceRuleState(settings: EffectiveSettings, list: RuleList, rule: string): EntryState {
  const normal = normaliseRule(rule);
  const same = (r: PlacedRule) => normaliseRule(r.rule) === normal;
  const allowed = settings.rules.allow.filter(same);
  if (list === 'allow') return { state: 'in-force', alsoAllowed: [] };
  const strict: RuleList[] = list === 'deny' ? ['deny'] : ['deny', 'ask'];
  const covers = (r: PlacedRule) => {
    const whole = normaliseRule(r.rule);
    return (!whole.includes('(') && normal.startsWith(`${whole}(`)) || patternCovers(r.rule, rule);
  };
  if (strict.some((l) => settings.rules[l].some(same)) || strict.some((l) => settings.rules[l].some(covers)))
    return { state: 'in-force', alsoAllowed: allowed };
  if (allowed.length > 0) return { state: 'allowed', where: allowed };
  const asked = list === 'deny' ? settings.rules.ask.filter(same) : [];
  return asked.length > 0 ? { state: 'demoted', where: asked } : { state: 'missing' };
}

const FILES = ['.claude/settings.json', '.claude/settings.local.json'];
const element = fc.oneof(
  fc.constantFrom('~/.ssh', '~/.aws', './secrets', '/etc/shadow'),
  fc.record({
    name: fc.constantFrom('AWS_SECRET', 'GH_TOKEN'),
    mode: fc.constantFrom('deny', 'allow', 'warn'),
  }),
  fc.record({ other: fc.constant(1) }),
);
const rule = fc.constantFrom(
  'Bash',
  'Bash(*)',
  'Bash(curl:*)',
  'Bash(curl http://x)',
  'Read(./.env)',
  'Read(./.env*)',
  'Read',
  'Task(x)',
  'Agent(x)',
  'WebFetch',
);
const layer = fc.record({
  sandbox: fc.record({ filesystem: fc.record({ denyRead: fc.array(element, { maxLength: 8 }) }) }),
  permissions: fc.record({
    deny: fc.array(rule, { maxLength: 4 }),
    ask: fc.array(rule, { maxLength: 3 }),
    allow: fc.array(rule, { maxLength: 3 }),
  }),
});
const settingsOf = (values: object[]) =>
  effectiveSettings(values.map((value, i) => ({ file: FILES[i]!, value: value as Record<string, unknown> })));

describe('effective settings: indexed lookups', () => {
  it('an array element: in force in any file, else the first one with its identity is the changed one', () => {
    const settings = settingsOf([
      { sandbox: { filesystem: { denyRead: ['~/.aws', { name: 'GH_TOKEN', mode: 'allow' }] } } },
      { sandbox: { filesystem: { denyRead: [{ name: 'GH_TOKEN', mode: 'warn' }, '~/.ssh'] } } },
    ]);
    const path = ['sandbox', 'filesystem', 'denyRead'];
    expect(itemState(settings, path, '~/.ssh').state).toBe('in-force');
    expect(itemState(settings, path, { name: 'GH_TOKEN', mode: 'deny' })).toEqual({
      state: 'changed',
      file: FILES[0],
      value: { name: 'GH_TOKEN', mode: 'allow' },
      index: 1,
    });
    expect(itemState(settings, path, './secrets').state).toBe('missing');
  });

  it('gives what comparing every element gives, for any settings', () => {
    const path = ['sandbox', 'filesystem', 'denyRead'];
    fc.assert(
      fc.property(fc.array(layer, { minLength: 1, maxLength: 2 }), element, (values, value) => {
        const settings = settingsOf(values);
        expect(itemState(settings, path, value)).toEqual(referenceItemState(settings, path, value));
      }),
      { numRuns: 300 },
    );
  });

  it('a rule gives what comparing every rule gives, for any settings', () => {
    fc.assert(
      fc.property(
        fc.array(layer, { minLength: 1, maxLength: 2 }),
        fc.constantFrom<RuleList>('deny', 'ask', 'allow'),
        rule,
        (values, list, spineRule) => {
          const settings = settingsOf(values);
          expect(ruleState(settings, list, spineRule)).toEqual(referenceRuleState(settings, list, spineRule));
        },
      ),
      { numRuns: 500 },
    );
  });
});
