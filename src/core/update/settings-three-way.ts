import { jsonEqual } from '../json-equal.js';
import type { LockedEntry } from '../lock/lock.js';
import type { SettingsEntry } from '../render/desired-state.js';
import { splitBom } from '../settings/settings-json.js';
import { SettingsEditor } from './settings-editor.js';
import { currentValue, parseEntryKey } from './settings-keys.js';
import type { PendingConflict, SettingsRow } from './types.js';

export interface SettingsMergeInput {
  /** `.claude/settings.json` as the team has it now (already parsed and valid). */
  text: string;
  /** What the locked version wrote: the lock's entries. */
  base: LockedEntry[];
  /** What the new version writes. */
  theirs: SettingsEntry[];
  /** Managed files the update moves: hook commands naming them follow. */
  moves: { from: string; to: string }[];
}

export interface SettingsMergeResult {
  text: string;
  changed: boolean;
  rows: SettingsRow[];
  pending: PendingConflict[];
  /** New spine entries the team already had: recorded as team-owned. */
  presentBefore: Set<string>;
}

interface Side {
  key: string;
  id: string;
  level: string;
  value: unknown;
  owner?: 'spine' | 'team';
}

/** One logical entry: a key on both sides, or a rule the new version replaced by another. */
interface Unit {
  base?: Side;
  theirs?: Side;
}

export const STAYS_REMOVED = 'removed here; stays removed';

/**
 * The settings table, per entry keyed by the lock: ours = base → theirs; theirs = base → ours;
 * the same change on both sides → fine; different changes → a conflict that keeps ours in the
 * file and records theirs as pending. Never conflict markers: invalid JSON would make Claude
 * Code drop the whole file.
 */
export function mergeSettingsThreeWay(input: SettingsMergeInput): SettingsMergeResult {
  const ours = JSON.parse(splitBom(input.text).body) as Record<string, any>;
  const editor = new SettingsEditor(input.text);
  const rows: SettingsRow[] = [];
  const pending: PendingConflict[] = [];
  const presentBefore = new Set<string>();

  for (const unit of units(input.base, input.theirs)) {
    const { base: b, theirs: t } = unit;
    const key = (t ?? b)!.key;
    const id = (t ?? b)!.id;
    // For a replaced rule, ours is whichever of the two rules the team has.
    const oursAt = (side?: Side) => (side ? currentValue(ours, parseEntryKey(side.key)) : undefined);
    const oursValue = oursAt(b) ?? (t && t.key !== b?.key ? oursAt(t) : undefined);
    const oursKey = b && oursAt(b) !== undefined ? b.key : t?.key;
    const same = jsonEqual;

    if (b && t && b.key === t.key && same(b.value, t.value)) {
      const metaChanged = b.level !== t.level || b.id !== t.id;
      if (oursValue === undefined && metaChanged) {
        rows.push({
          sign: '!',
          key,
          id,
          note: `removed here; the new version changed it (${describeMeta(b, t)})`,
        });
        pending.push({ kind: 'setting', key, id, ours: null, theirs: t.value });
      } else if (oursValue === undefined) {
        rows.push({ sign: '=', key, id, note: STAYS_REMOVED, level: t.level });
      } else if (metaChanged) {
        rows.push({ sign: '~', key, id, note: describeMeta(b, t) });
      }
      continue;
    }
    if (same(oursValue, b?.value)) {
      if (!t) {
        if (b!.owner === 'team') {
          rows.push({
            sign: '=',
            key,
            id,
            note: 'dropped by the spine; the team had it before init, so it stays',
          });
        } else {
          editor.set(b!.key, undefined);
          rows.push({ sign: '-', key, id, note: 'removed from the spine' });
        }
      } else if (!b) {
        editor.set(t.key, t.value);
        rows.push({ sign: '+', key, id, note: 'new in this version' });
      } else if (b.key !== t.key) {
        editor.replaceRule(b.key, t.key);
        rows.push({ sign: '~', key, id, note: `replaces ${b.key}` });
      } else {
        editor.set(t.key, t.value);
        rows.push({ sign: '~', key, id, note: `${show(b.value)} → ${show(t.value)}` });
      }
      continue;
    }
    if (t && same(oursValue, t.value)) {
      if (!b) presentBefore.add(t.key);
      continue;
    }
    if (!t && b?.owner === 'team') {
      rows.push({
        sign: '=',
        key,
        id,
        note: 'dropped by the spine; the team had it before init, so it stays',
      });
      continue;
    }
    rows.push({ sign: '!', key, id, note: conflictNote(oursValue, t?.value) });
    pending.push({
      kind: 'setting',
      key,
      id,
      ours: oursValue ?? null,
      theirs: t?.value ?? null,
      ...(oursKey && oursKey !== key && oursValue !== undefined ? { oursKey } : {}),
    });
  }

  for (const move of input.moves) {
    const count = editor.renameInHooks(move.from, move.to);
    if (count > 0)
      rows.push({ sign: '~', key: `hooks:${move.from}`, note: `hook command now runs ${move.to}` });
  }
  const text = editor.finish();
  return { text, changed: text !== input.text, rows, pending, presentBefore };
}

/** Pairs keys across the versions; a rule dropped and one added under the same guardrail id is a change. */
function units(base: LockedEntry[], theirs: SettingsEntry[]): Unit[] {
  const baseByKey = new Map(base.map((e) => [e.key, e as Side]));
  const theirsByKey = new Map(
    theirs.map((e) => [e.key, { key: e.key, id: e.id, level: e.level, value: e.value } as Side]),
  );
  const out: Unit[] = [];
  const dropped = base.filter((e) => !theirsByKey.has(e.key) && parseEntryKey(e.key).kind === 'rule');
  const added = [...theirsByKey.values()].filter(
    (e) => !baseByKey.has(e.key) && parseEntryKey(e.key).kind === 'rule',
  );
  const paired = new Set<string>();
  for (const b of dropped) {
    const t = added.find((a) => a.id === b.id && !paired.has(a.key));
    if (!t) continue;
    paired.add(t.key).add(b.key);
    out.push({ base: b, theirs: t });
  }
  for (const b of base) if (!paired.has(b.key)) out.push({ base: b, theirs: theirsByKey.get(b.key) });
  for (const t of theirsByKey.values())
    if (!paired.has(t.key) && !baseByKey.has(t.key)) out.push({ theirs: t });
  return out;
}

function describeMeta(b: Side, t: Side): string {
  const parts: string[] = [];
  if (b.level !== t.level) parts.push(`level ${b.level} → ${t.level}`);
  if (b.id !== t.id) parts.push(`guardrail ${b.id} → ${t.id}`);
  return parts.join(', ');
}

function conflictNote(ours: unknown, theirs: unknown): string {
  if (ours === undefined) return `removed here; the new version has ${show(theirs)}`;
  if (theirs === undefined) return `changed here to ${show(ours)}; the new version removes it`;
  return `ours ${show(ours)}, the new version ${show(theirs)}; kept ours`;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
