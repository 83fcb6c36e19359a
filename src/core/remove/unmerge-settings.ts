import { applyEdits, modify } from 'jsonc-parser';
import { jsonEqual } from '../json-equal.js';
import type { SettingsEntry } from '../render/desired-state.js';
import { detectFormat, getPath } from '../settings/merge-settings.js';
import { splitBom } from '../settings/settings-json.js';
import { SettingsEditor } from '../update/settings-editor.js';
import { currentValue, parseEntryKey } from '../update/settings-keys.js';

type Json = Record<string, any>;

export interface UnmergeResult {
  /** The settings without spine's entries; undefined when nothing of the team's is left (delete the file). */
  text: string | undefined;
  removed: string[];
  /** Entries kept, with why: the team had them before spine, or changed them since. */
  kept: { key: string; reason: string }[];
}

/**
 * Takes spine's entries out of a settings file, one at a time with jsonc-parser (the team's
 * indentation, key order and line endings stay), the inverse of `mergeSettings`. An entry the team
 * had before spine (`teamKeys`) stays, and so does one whose value the team changed since: those
 * bytes are the team's. Spine's hook groups always go, since the script they run goes too. A list
 * or object the removal leaves empty goes with it; a file left as `{}` is deleted.
 */
export function unmergeSettings(
  text: string,
  entries: readonly SettingsEntry[],
  teamKeys: ReadonlySet<string>,
): UnmergeResult {
  const original = JSON.parse(splitBom(text).body) as Json;
  const editor = new SettingsEditor(text);
  const removed: string[] = [];
  const kept: UnmergeResult['kept'] = [];
  const emptied = new Set<string>();
  for (const entry of entries) {
    const target = parseEntryKey(entry.key);
    const now = currentValue(original, target);
    if (now === undefined) continue;
    if (teamKeys.has(entry.key)) {
      kept.push({ key: entry.key, reason: 'the team had it before spine' });
      continue;
    }
    if (entry.kind !== 'hook' && !jsonEqual(now, entry.value)) {
      kept.push({ key: entry.key, reason: 'changed by the team since spine wrote it' });
      continue;
    }
    editor.set(entry.key, undefined);
    removed.push(entry.key);
    for (const path of containers(entry)) emptied.add(JSON.stringify(path));
  }
  if (removed.length === 0) return { text, removed, kept };
  const pruned = pruneEmpty(
    editor.finish(),
    [...emptied].map((p) => JSON.parse(p) as string[]),
  );
  const value = JSON.parse(splitBom(pruned).body) as Json;
  return { text: Object.keys(value).length === 0 ? undefined : pruned, removed, kept };
}

/** The objects and lists an entry lives in, innermost first (`permissions.deny`, `permissions`). */
function containers(entry: SettingsEntry): string[][] {
  const leaf = (() => {
    switch (entry.kind) {
      case 'rule':
        return ['permissions', entry.list, ''];
      case 'hook':
        return ['hooks', entry.event, ''];
      case 'env':
        return ['env', entry.name];
      case 'setting':
        return entry.path;
      case 'item':
        return [...entry.path, ''];
    }
  })();
  const out: string[][] = [];
  for (let n = leaf.length - 1; n >= 1; n--) out.push(leaf.slice(0, n));
  return out;
}

/** Removes each given container that is now empty, innermost first, keeping the rest of the text. */
function pruneEmpty(source: string, paths: string[][]): string {
  const { bom, body } = splitBom(source);
  const format = detectFormat(body);
  let text = body;
  for (const path of [...paths].sort((a, b) => b.length - a.length)) {
    const value = getPath(JSON.parse(text) as Json, path);
    const empty = Array.isArray(value)
      ? value.length === 0
      : typeof value === 'object' && value !== null && Object.keys(value).length === 0;
    if (!empty) continue;
    text = applyEdits(text, modify(text, path, undefined, { formattingOptions: format }));
  }
  return bom + text;
}
