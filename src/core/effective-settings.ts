import { groupBy } from './group-by.js';
import { jsonEqual } from './json-equal.js';
import type { LockedEntry } from './lock/lock.js';
import { normaliseRule, patternCovers } from './permission-rule.js';
import { type HookGroup, runsSpineHook, type SettingsEntry } from './render/desired-state.js';
import { type ItemValue, itemIdentity, parseItemKey, sameItem } from './sandbox/settings-item.js';

/**
 * What Claude Code will actually apply from the project's settings files (reference §1.2, §2.2):
 * arrays (rules, hook groups) concatenate across files; scalars take the value of the file with the
 * highest precedence (settings.local.json over settings.json); rules apply deny → ask → allow.
 */

export type RuleList = 'deny' | 'ask' | 'allow';

export interface SettingsLayer {
  file: string;
  value: Record<string, unknown>;
}

export interface PlacedRule {
  rule: string;
  list: RuleList;
  file: string;
  index: number;
}

export interface PlacedHook {
  group: unknown;
  event: string;
  file: string;
  index: number;
}

export interface EffectiveSettings {
  /** Lowest precedence first. */
  layers: SettingsLayer[];
  rules: Record<RuleList, PlacedRule[]>;
  hooks: Map<string, PlacedHook[]>;
}

export function effectiveSettings(layers: SettingsLayer[]): EffectiveSettings {
  const rules: Record<RuleList, PlacedRule[]> = { deny: [], ask: [], allow: [] };
  const hooks = new Map<string, PlacedHook[]>();
  for (const layer of layers) {
    const permissions = asObject(layer.value.permissions);
    for (const list of ['deny', 'ask', 'allow'] as const) {
      asArray(permissions[list]).forEach((rule, index) => {
        if (typeof rule === 'string') rules[list].push({ rule, list, file: layer.file, index });
      });
    }
    for (const [event, groups] of Object.entries(asObject(layer.value.hooks))) {
      const placed = hooks.get(event) ?? [];
      asArray(groups).forEach((group, index) => {
        placed.push({ group, event, file: layer.file, index });
      });
      hooks.set(event, placed);
    }
  }
  return { layers, rules, hooks };
}

/** The value Claude Code uses for a scalar key, and the file it comes from. */
export function scalarAt(
  settings: EffectiveSettings,
  path: string[],
): { file: string; value: unknown } | undefined {
  for (const layer of [...settings.layers].reverse()) {
    let node: unknown = layer.value;
    for (const key of path) node = asObject(node)[key];
    if (node !== undefined) return { file: layer.file, value: node };
  }
  return undefined;
}

/** Every place a key is set, lowest precedence first (e.g. `defaultMode` in any file). */
export function valuesAt(settings: EffectiveSettings, path: string[]): { file: string; value: unknown }[] {
  const found: { file: string; value: unknown }[] = [];
  for (const layer of settings.layers) {
    let node: unknown = layer.value;
    for (const key of path) node = asObject(node)[key];
    if (node !== undefined) found.push({ file: layer.file, value: node });
  }
  return found;
}

export type EntryState =
  /** In force; `alsoAllowed` lists allow rules equal to it (no effect, deny/ask win, but a weakening attempt). */
  | { state: 'in-force'; alsoAllowed: PlacedRule[] }
  /** A deny/ask rule that now appears only as allow. */
  | { state: 'allowed'; where: PlacedRule[] }
  /** A deny rule that now appears only as ask. */
  | { state: 'demoted'; where: PlacedRule[] }
  /** A setting, env value or hook group with another value than spine's. */
  | { state: 'changed'; file: string; value: unknown; index?: number }
  | { state: 'missing' };

/** Is a spine settings entry still in force? A stricter local rule that covers it counts. */
export function entryState(settings: EffectiveSettings, entry: SettingsEntry): EntryState {
  switch (entry.kind) {
    case 'rule':
      return ruleState(settings, entry.list, entry.value);
    case 'setting':
      return scalarState(scalarAt(settings, entry.path), entry.value);
    case 'env':
      return scalarState(scalarAt(settings, ['env', entry.name]), entry.value);
    case 'item':
      return itemState(settings, entry.path, entry.value);
    case 'hook': {
      const spine = spineHooks(settings, entry.event);
      if (spine.length === 0) return { state: 'missing' };
      if (spine.some((h) => jsonEqual(h.group, entry.value))) return { state: 'in-force', alsoAllowed: [] };
      const first = spine[0]!;
      return { state: 'changed', file: first.file, value: first.group, index: first.index };
    }
  }
}

/** Array settings concatenate across files: an element is in force if any file has it. */
export function itemState(settings: EffectiveSettings, path: string[], value: unknown): EntryState {
  // Only an element with the same identity can be the same element (sameItem), or the changed one.
  const candidates = itemsOf(settings, path).get(itemIdentity(value)) ?? [];
  if (candidates.some((c) => sameItem(c.value, value))) return { state: 'in-force', alsoAllowed: [] };
  const first = candidates[0];
  return first
    ? { state: 'changed', file: first.file, value: first.value, index: first.index }
    : { state: 'missing' };
}

interface PlacedItem {
  file: string;
  value: unknown;
  index: number;
}

/**
 * The elements of an array setting across files, by identity, lowest precedence first; built once
 * per settings and path: doctor asks about every spine element, and a list can hold hundreds.
 */
const itemIndexes = new WeakMap<EffectiveSettings, Map<string, Map<string | undefined, PlacedItem[]>>>();

function itemsOf(settings: EffectiveSettings, path: string[]): Map<string | undefined, PlacedItem[]> {
  const byPath = itemIndexes.get(settings) ?? new Map<string, Map<string | undefined, PlacedItem[]>>();
  itemIndexes.set(settings, byPath);
  const key = path.join('\0');
  let index = byPath.get(key);
  if (!index) {
    const placed = valuesAt(settings, path).flatMap(({ file, value: list }) =>
      asArray(list).map((value, at) => ({ file, value, index: at })),
    );
    index = groupBy(placed, (p) => itemIdentity(p.value));
    byPath.set(key, index);
  }
  return index;
}

/** Each placed rule's normal form, computed once: doctor compares every spine rule with all of them. */
const normalForms = new WeakMap<PlacedRule, string>();

function normalOf(placed: PlacedRule): string {
  let normal = normalForms.get(placed);
  if (normal === undefined) {
    normal = normaliseRule(placed.rule);
    normalForms.set(placed, normal);
  }
  return normal;
}

export function ruleState(settings: EffectiveSettings, list: RuleList, rule: string): EntryState {
  if (list === 'allow') return { state: 'in-force', alsoAllowed: [] };
  const normal = normaliseRule(rule);
  const same = (l: RuleList) => rulesByNormalForm(settings, l).get(normal) ?? [];
  const allowed = same('allow');
  const strictLists: RuleList[] = list === 'deny' ? ['deny'] : ['deny', 'ask'];
  const covered =
    strictLists.some((l) => same(l).length > 0) ||
    strictLists.some((l) => settings.rules[l].some((r) => covers(r, normal, rule)));
  if (covered) return { state: 'in-force', alsoAllowed: allowed };
  if (allowed.length > 0) return { state: 'allowed', where: allowed };
  const asked = list === 'deny' ? same('ask') : [];
  if (asked.length > 0) return { state: 'demoted', where: asked };
  return { state: 'missing' };
}

/**
 * Each list's rules by normal form, in order; built once per settings: doctor looks up every spine
 * rule, and comparing each with every placed rule grew with the square of the rules.
 */
const ruleIndexes = new WeakMap<EffectiveSettings, Record<RuleList, Map<string, PlacedRule[]>>>();

function rulesByNormalForm(settings: EffectiveSettings, list: RuleList): Map<string, PlacedRule[]> {
  let indexes = ruleIndexes.get(settings);
  if (!indexes) {
    const byNormal = (rules: PlacedRule[]) => groupBy(rules, normalOf);
    indexes = {
      deny: byNormal(settings.rules.deny),
      ask: byNormal(settings.rules.ask),
      allow: byNormal(settings.rules.allow),
    };
    ruleIndexes.set(settings, indexes);
  }
  return indexes[list];
}

/** A stricter rule covering a spine rule (`normal` is its normal form): a whole-tool rule, or a pattern matching it. */
function covers(stricter: PlacedRule, normal: string, rule: string): boolean {
  const whole = normalOf(stricter);
  if (!whole.includes('(') && normal.startsWith(`${whole}(`)) return true;
  return patternCovers(stricter.rule, rule);
}

/** The hook groups of an event that run spine's hook script. */
export function spineHooks(settings: EffectiveSettings, event: string): PlacedHook[] {
  return (settings.hooks.get(event) ?? []).filter((h) =>
    asArray(asObject(h.group).hooks).some((c) => runsSpineHook(asObject(c).command)),
  );
}

/** The settings entry a lock record stands for, rebuilt from its key and value. */
export function entryFromLock(e: LockedEntry): SettingsEntry | undefined {
  const base = { key: e.key, id: e.id, level: e.level };
  const rule = /^permissions\.(deny|ask|allow):/.exec(e.key);
  if (rule && typeof e.value === 'string') {
    return { ...base, kind: 'rule', list: rule[1] as RuleList, value: e.value };
  }
  const hook = /^hooks\.([A-Za-z]+):spine$/.exec(e.key);
  if (hook && typeof e.value === 'object' && e.value !== null) {
    return { ...base, kind: 'hook', event: hook[1]!, value: plain(e.value) as HookGroup };
  }
  const item = parseItemKey(e.key);
  if (item && (typeof e.value === 'string' || (typeof e.value === 'object' && e.value !== null))) {
    return { ...base, kind: 'item', path: item.path, value: plain(e.value) as ItemValue };
  }
  if (e.key.startsWith('env:') && typeof e.value === 'string') {
    return { ...base, kind: 'env', name: e.key.slice(4), value: e.value };
  }
  if (!e.key.includes(':') && (typeof e.value === 'string' || typeof e.value === 'boolean')) {
    return { ...base, kind: 'setting', path: e.key.split('.'), value: e.value };
  }
  return undefined;
}

function scalarState(found: { file: string; value: unknown } | undefined, want: unknown): EntryState {
  if (found === undefined) return { state: 'missing' };
  if (jsonEqual(found.value, want)) return { state: 'in-force', alsoAllowed: [] };
  return { state: 'changed', file: found.file, value: found.value };
}

/** Parsers with positions build null-prototype objects: a lock entry keeps a plain copy. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
