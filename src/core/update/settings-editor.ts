import { isDeepStrictEqual } from 'node:util';
import { applyEdits, type FormattingOptions, modify } from 'jsonc-parser';
import { runsSpineHook } from '../render/desired-state.js';
import { findItem } from '../sandbox/settings-item.js';
import { detectFormat } from '../settings/merge-settings.js';
import { splitBom } from '../settings/settings-json.js';
import { type EntryTarget, parseEntryKey } from './settings-keys.js';

type Json = Record<string, any>;
type Path = (string | number)[];

/**
 * Edits `.claude/settings.json` one entry at a time with jsonc-parser, so the team's
 * formatting, key order and line endings survive; every edit is mirrored on a plain object,
 * and `finish` re-parses the text and refuses it unless the two agree.
 */
export class SettingsEditor {
  private text: string;
  private readonly format: FormattingOptions & { eol: string };
  private readonly intended: Json;
  private readonly original: string;
  changed = false;

  private readonly bom: string;

  constructor(source: string) {
    const { bom, body: text } = splitBom(source);
    this.bom = bom;
    this.original = source;
    this.text = text;
    this.format = detectFormat(text);
    this.intended = JSON.parse(text) as Json;
  }

  /** Sets the entry a lock key names to `value`, or removes it when `value` is undefined. */
  set(key: string, value: unknown): void {
    const target = parseEntryKey(key);
    switch (target.kind) {
      case 'rule':
        if (value === undefined) this.removeRule(target);
        else this.addRule({ ...target, rule: String(value) });
        return;
      case 'hook':
        this.setHook(target.event, value);
        return;
      case 'env':
        this.setAt(['env', target.name], value);
        return;
      case 'setting':
        this.setAt(target.path, value);
        return;
      case 'item':
        this.setItem(target.path, target.identity, value);
        return;
    }
  }

  /** Replaces one rule by another, in place when both are in the same list. */
  replaceRule(oldKey: string, newKey: string): void {
    const from = parseEntryKey(oldKey) as Extract<EntryTarget, { kind: 'rule' }>;
    const to = parseEntryKey(newKey) as Extract<EntryTarget, { kind: 'rule' }>;
    const list = this.current().permissions?.[from.list];
    const index = Array.isArray(list) ? list.indexOf(from.rule) : -1;
    if (from.list === to.list && index >= 0) {
      this.edit(['permissions', from.list, index], to.rule);
      this.intended.permissions[from.list][index] = to.rule;
      return;
    }
    this.removeRule(from);
    this.addRule(to);
  }

  /** Rewrites a moved script path inside every hook command; returns how many changed. */
  renameInHooks(from: string, to: string): number {
    let count = 0;
    const hooks = this.current().hooks ?? {};
    for (const [event, groups] of Object.entries<any>(hooks)) {
      if (!Array.isArray(groups)) continue;
      groups.forEach((group, g) => {
        if (!Array.isArray(group?.hooks)) return;
        group.hooks.forEach((hook: any, h: number) => {
          if (typeof hook?.command !== 'string' || !hook.command.includes(from)) return;
          const command = hook.command.split(from).join(to);
          this.edit(['hooks', event, g, 'hooks', h, 'command'], command);
          this.intended.hooks[event][g].hooks[h].command = command;
          count++;
        });
      });
    }
    return count;
  }

  /** The edited text, checked against the intended object; the original bytes if nothing changed. */
  finish(): string {
    if (!this.changed) return this.original;
    let out = this.text;
    if (!out.endsWith(this.format.eol) && this.original.endsWith('\n')) out += this.format.eol;
    if (!isDeepStrictEqual(JSON.parse(out), this.intended)) {
      throw new Error('internal: merged settings differ from the intended object');
    }
    return this.bom + out;
  }

  private addRule(target: Extract<EntryTarget, { kind: 'rule' }>): void {
    const list = this.current().permissions?.[target.list];
    if (Array.isArray(list) && list.includes(target.rule)) return;
    if (Array.isArray(list)) this.edit(['permissions', target.list, list.length], target.rule, true);
    else this.edit(['permissions', target.list], [target.rule]);
    this.intended.permissions ??= {};
    if (!Array.isArray(this.intended.permissions[target.list])) this.intended.permissions[target.list] = [];
    this.intended.permissions[target.list].push(target.rule);
  }

  private removeRule(target: Extract<EntryTarget, { kind: 'rule' }>): void {
    const list = this.current().permissions?.[target.list];
    const index = Array.isArray(list) ? list.indexOf(target.rule) : -1;
    if (index < 0) return;
    this.edit(['permissions', target.list, index], undefined);
    this.intended.permissions[target.list].splice(index, 1);
  }

  private setHook(event: string, group: unknown): void {
    const groups = this.current().hooks?.[event];
    const index = Array.isArray(groups) ? groups.findIndex(isSpineGroup) : -1;
    if (group === undefined) {
      if (index < 0) return;
      // The event's last group going takes the event with it: no empty `"PostToolUse": []` left.
      if (groups.length === 1) {
        this.edit(['hooks', event], undefined);
        delete this.intended.hooks[event];
        return;
      }
      this.edit(['hooks', event, index], undefined);
      this.intended.hooks[event].splice(index, 1);
    } else if (index >= 0) {
      this.edit(['hooks', event, index], group);
      this.intended.hooks[event][index] = structuredClone(group);
    } else if (Array.isArray(groups)) {
      this.edit(['hooks', event, groups.length], group, true);
      this.intended.hooks[event].push(structuredClone(group));
    } else {
      this.edit(['hooks', event], [group]);
      this.intended.hooks ??= {};
      this.intended.hooks[event] = [structuredClone(group)];
    }
  }

  /** Adds, replaces or removes the one element of an array setting with this identity. */
  private setItem(path: string[], identity: string, value: unknown): void {
    let list: any = this.current();
    for (const key of path) list = list?.[key];
    const found = findItem(list, identity);
    const intendedList = () => {
      let node: any = this.intended;
      for (const key of path) node = node[key];
      return node as unknown[];
    };
    if (value === undefined) {
      if (!found) return;
      this.edit([...path, found.index], undefined);
      intendedList().splice(found.index, 1);
    } else if (found) {
      this.edit([...path, found.index], value);
      intendedList()[found.index] = structuredClone(value);
    } else if (Array.isArray(list)) {
      this.edit([...path, list.length], value, true);
      intendedList().push(structuredClone(value));
    } else {
      this.setAt(path, [value]);
    }
  }

  private setAt(path: string[], value: unknown): void {
    let node: any = this.intended;
    for (const key of path.slice(0, -1)) {
      if (node[key] === undefined && value === undefined) return;
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key];
    }
    const leaf = path[path.length - 1]!;
    if (value === undefined && !(leaf in node)) return;
    this.edit(path, value);
    if (value === undefined) delete node[leaf];
    else node[leaf] = structuredClone(value);
  }

  private current(): Json {
    return JSON.parse(this.text) as Json;
  }

  private edit(path: Path, value: unknown, isArrayInsertion = false): void {
    const edits = modify(this.text, path, value, { formattingOptions: this.format, isArrayInsertion });
    this.text = applyEdits(this.text, edits);
    this.changed = true;
  }
}

function isSpineGroup(group: any): boolean {
  return Array.isArray(group?.hooks) && group.hooks.some((h: any) => runsSpineHook(h?.command));
}
