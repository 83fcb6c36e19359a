import { findItem, parseItemKey } from '../sandbox/settings-item.js';
import { findSpineHook, getPath } from '../settings/merge-settings.js';

/** What a lock key names inside `.claude/settings.json`. */
export type EntryTarget =
  | { kind: 'rule'; list: 'deny' | 'ask' | 'allow'; rule: string }
  | { kind: 'hook'; event: string }
  | { kind: 'env'; name: string }
  | { kind: 'setting'; path: string[] }
  | { kind: 'item'; path: string[]; identity: string };

const RULE_KEY = /^permissions\.(deny|ask|allow):(.*)$/s;
const HOOK_KEY = /^hooks\.([^:]+):spine$/;

/**
 * The lock keys are stable: `permissions.<list>:<rule>`, `hooks.<Event>:spine`, `env:<NAME>`,
 * `<dotted.path>[]:<element>` (one element of an array setting), a dotted path.
 */
export function parseEntryKey(key: string): EntryTarget {
  const rule = RULE_KEY.exec(key);
  if (rule) return { kind: 'rule', list: rule[1] as 'deny' | 'ask' | 'allow', rule: rule[2]! };
  const hook = HOOK_KEY.exec(key);
  if (hook) return { kind: 'hook', event: hook[1]! };
  if (key.startsWith('env:')) return { kind: 'env', name: key.slice(4) };
  const item = parseItemKey(key);
  if (item) return { kind: 'item', ...item };
  return { kind: 'setting', path: key.split('.') };
}

/** The value an entry has in the team's settings now; undefined when absent. */
export function currentValue(settings: Record<string, any>, target: EntryTarget): unknown {
  switch (target.kind) {
    case 'rule': {
      const list = settings.permissions?.[target.list];
      return Array.isArray(list) && list.includes(target.rule) ? target.rule : undefined;
    }
    case 'hook':
      return findSpineHook(settings, target.event);
    case 'env':
      return settings.env?.[target.name];
    case 'setting':
      return getPath(settings, target.path);
    case 'item':
      return findItem(getPath(settings, target.path), target.identity)?.value;
  }
}
