import { isDeepStrictEqual } from 'node:util';
import { applyEdits, type FormattingOptions, modify } from 'jsonc-parser';
import type { HookGroup, SettingsEntry } from '../render/desired-state.js';
import { runsSpineHook } from '../render/desired-state.js';
import { sameItem } from '../sandbox/settings-item.js';
import { splitBom } from './settings-json.js';

type Json = Record<string, any>;

export interface MergeResult {
  text: string;
  /** Keys of entries that were already in the file before the merge. */
  present: Set<string>;
  /** Keys of entries added. */
  added: string[];
}

/** Is this spine entry already in effect in a settings object? */
export function entryPresent(value: Json, entry: SettingsEntry): boolean {
  switch (entry.kind) {
    case 'rule':
      return asArray(value.permissions?.[entry.list]).includes(entry.value);
    case 'setting':
      return getPath(value, entry.path) === entry.value;
    case 'env':
      return value.env?.[entry.name] === entry.value;
    case 'hook':
      return findSpineHook(value, entry.event) !== undefined;
    case 'item':
      return asArray(getPath(value, entry.path)).some((e) => sameItem(e, entry.value));
  }
}

/** The spine hook group of an event, if the settings have one (matched by its script path). */
export function findSpineHook(value: Json, event: string): HookGroup | undefined {
  return asArray(value.hooks?.[event]).find((group: any) =>
    asArray(group?.hooks).some((h: any) => runsSpineHook(h?.command)),
  );
}

/**
 * Adds missing spine entries to a settings file, one rule or hook group at a time, keeping the
 * team's indentation, key order, line endings and every entry of its own. The result is parsed
 * back and compared with the intended object before it is returned. A new file is the intended
 * object printed as those edits would print it (two-space indent, one element per line, LF):
 * the same bytes, without re-parsing a growing text for each of a spine's hundreds of entries.
 */
export function mergeSettings(
  text: string | undefined,
  entries: SettingsEntry[],
  /** Every spine entry in the spine's order, when `entries` is only the missing ones (doctor --fix). */
  order: SettingsEntry[] = entries,
): MergeResult {
  const { bom, body } = splitBom(text ?? '{}\n');
  const source = body;
  const format = detectFormat(source);
  const original = JSON.parse(source) as Json;
  const intended = structuredClone(original) as Json;
  const present = new Set<string>();
  const added: string[] = [];
  let out = source;
  const fresh = text === undefined;
  // Each key's first place in the spine's order, looked up once per entry instead of searched.
  const positions = new Map<string, number>();
  for (const [i, e] of order.entries()) if (!positions.has(e.key)) positions.set(e.key, i);
  const edit = (path: (string | number)[], value: unknown, isArrayInsertion = false) => {
    if (fresh) return;
    out = applyEdits(out, modify(out, path, value, { formattingOptions: format, isArrayInsertion }));
  };

  for (const entry of entries) {
    if (entryPresent(original, entry)) {
      present.add(entry.key);
      continue;
    }
    added.push(entry.key);
    // Until an entry is edited in, the text holds exactly the intended object (checked below).
    const current = fresh ? intended : (JSON.parse(out) as Json);
    switch (entry.kind) {
      case 'rule': {
        const list = current.permissions?.[entry.list];
        if (Array.isArray(list)) {
          const at = placeAmongSiblings(list, order, entry, positions);
          edit(['permissions', entry.list, at], entry.value, true);
          ensureArray(intended, ['permissions', entry.list]).splice(at, 0, entry.value);
        } else {
          edit(['permissions', entry.list], [entry.value]);
          ensureArray(intended, ['permissions', entry.list]).push(entry.value);
        }
        break;
      }
      case 'hook': {
        const groups = current.hooks?.[entry.event];
        if (Array.isArray(groups)) edit(['hooks', entry.event, groups.length], entry.value, true);
        else edit(['hooks', entry.event], [entry.value]);
        ensureArray(intended, ['hooks', entry.event]).push(entry.value);
        break;
      }
      case 'setting':
        edit(entry.path, entry.value);
        setPath(intended, entry.path, entry.value);
        break;
      case 'env':
        edit(['env', entry.name], entry.value);
        setPath(intended, ['env', entry.name], entry.value);
        break;
      case 'item': {
        const list = getPath(current, entry.path);
        if (Array.isArray(list)) {
          const at = placeAmongSiblings(list, order, entry, positions);
          edit([...entry.path, at], entry.value, true);
          ensureArray(intended, entry.path).splice(at, 0, structuredClone(entry.value));
        } else {
          edit(entry.path, [entry.value]);
          ensureArray(intended, entry.path).push(structuredClone(entry.value));
        }
        break;
      }
    }
  }
  if (text !== undefined && added.length === 0) return { text, present, added };
  if (fresh) out = JSON.stringify(intended, null, format.tabSize);
  if (!out.endsWith(format.eol) && (text === undefined || text.endsWith('\n'))) out += format.eol;
  if (!isDeepStrictEqual(JSON.parse(out), intended)) {
    throw new Error('internal: merged settings differ from the intended object');
  }
  return { text: bom + out, present, added };
}

/**
 * Where a missing element of a list goes: right after the spine's element that precedes it in the
 * spine's order and is still there, else right before the next one that is, else at the end. So
 * `doctor --fix` puts a deleted rule back where `init` wrote it, and a fresh file gets the spine's
 * order; the team's own elements keep their places.
 */
function placeAmongSiblings(
  list: unknown[],
  entries: SettingsEntry[],
  entry: SettingsEntry,
  positions: Map<string, number>,
): number {
  const index = positions.get(entry.key) ?? -1;
  if (index < 0) return list.length;
  const sibling = (e: SettingsEntry) => sameList(e, entry);
  // A rule is a string: found by identity, which is what a deep comparison of two strings comes to.
  const find = (e: SettingsEntry) =>
    e.kind === 'item'
      ? list.findIndex((v) => sameItem(v, e.value))
      : typeof e.value === 'string'
        ? list.indexOf(e.value)
        : list.findIndex((v) => isDeepStrictEqual(v, e.value));
  for (let i = index - 1; i >= 0; i--) {
    if (!sibling(entries[i]!)) continue;
    const at = find(entries[i]!);
    if (at >= 0) return at + 1;
  }
  for (let i = index + 1; i < entries.length; i++) {
    if (!sibling(entries[i]!)) continue;
    const at = find(entries[i]!);
    if (at >= 0) return at;
  }
  return list.length;
}

function sameList(a: SettingsEntry, b: SettingsEntry): boolean {
  if (a.kind === 'rule' && b.kind === 'rule') return a.list === b.list;
  if (a.kind === 'item' && b.kind === 'item') return a.path.join('.') === b.path.join('.');
  return false;
}

export function detectFormat(text: string): FormattingOptions & { eol: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indentLine = text.split(/\r?\n/).find((l) => /^[ \t]+\S/.test(l));
  const indent = indentLine?.match(/^[ \t]+/)?.[0] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol,
  };
}

function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

export function getPath(value: Json, path: string[]): unknown {
  let node: any = value;
  for (const key of path) node = node?.[key];
  return node;
}

function setPath(value: Json, path: string[], leaf: unknown): void {
  let node: any = value;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key];
  }
  node[path[path.length - 1]!] = leaf;
}

function ensureArray(value: Json, path: string[]): unknown[] {
  const existing = getPath(value, path);
  if (Array.isArray(existing)) return existing;
  const array: unknown[] = [];
  setPath(value, path, array);
  return array;
}
