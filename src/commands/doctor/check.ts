import type { EntryState } from '../../core/effective-settings.js';
import { entryState } from '../../core/effective-settings.js';
import type { Category, Finding, Severity } from '../../core/findings.js';
import { contentHash } from '../../core/hash.js';
import type { HookGroup, SettingsEntry } from '../../core/render/desired-state.js';
import { locateJson } from '../../core/settings/settings-json.js';
import type { Level } from '../../spine/model.js';
import type { DoctorContext, SpineEntry } from './context.js';

/** One thing `--fix` can do; the fix planner turns a list of them into file changes. */
export type FixEdit =
  | { kind: 'restore-file'; path: string }
  | { kind: 'restore-mode'; path: string }
  | { kind: 'add-entry'; entry: SettingsEntry }
  | { kind: 'replace-hook'; event: string; index: number; value: HookGroup }
  | { kind: 'restore-claude-block' }
  /** Merge the spine's entries, rebased, into a launch directory's settings; record it in the lock. */
  | { kind: 'guard-launch-dir'; path: string }
  /** Write the hook's team zone map as local.yaml says now; record it in the lock. */
  | { kind: 'write-zone-map' }
  /** Move from the ES module hook of earlier releases to spine-hook.cjs (hook-script-move.ts). */
  | { kind: 'move-hook-script' };

/** A doctor check: one file per code, pure over the context. */
export interface Check {
  code: string;
  check(ctx: DoctorContext): Finding[];
  fix?(finding: Finding, ctx: DoctorContext): FixEdit[];
}

export function finding(
  code: string,
  severity: Severity,
  category: Category,
  path: string,
  message: string,
  fix: string,
  extra: Partial<Pick<Finding, 'line' | 'column' | 'guardrail' | 'entry'>> = {},
): Finding {
  const out: Finding = { code, severity, category, path, message, fix };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (out as any)[k] = v;
  return out;
}

/** Line and column of a JSON path in one of the settings files (nearest existing ancestor). */
export function locate(
  ctx: DoctorContext,
  file: string,
  path: (string | number)[],
): { line?: number; column?: number } {
  const json = ctx.settingsFiles.find((s) => s.file === file)?.json;
  return json ? locateJson(json, path) : {};
}

const states = new WeakMap<DoctorContext, { spine: SpineEntry; state: EntryState }[]>();

/** Each spine entry with its state in what the repo's settings files say (computed once per context). */
export function entryStates(ctx: DoctorContext): { spine: SpineEntry; state: EntryState }[] {
  let list = states.get(ctx);
  if (!list) {
    list = ctx.entries.map((spine) => ({ spine, state: entryState(ctx.written, spine.entry) }));
    states.set(ctx, list);
  }
  return list;
}

export function severityOf(level: Level): Severity {
  return level === 'locked' ? 'error' : 'warning';
}

/** The hook carries audit and guard: as strict as the strictest of its entries. */
export function hookLevel(ctx: DoctorContext): Level {
  return ctx.entries.some((e) => e.entry.kind === 'hook' && e.entry.level === 'locked')
    ? 'locked'
    : 'default';
}

/** A waiver of the whole repo (one scoped to a team zone covers only that zone's launch directories). */
export function activeWaiver(ctx: DoctorContext, id: string) {
  return ctx.waivers.find((w) => w.waiver.rule === id && w.state === 'active' && w.waiver.zone === undefined);
}

/** A waiver that decides how a weakened default guardrail is reported (active or expired). */
export function recordedWaiver(ctx: DoctorContext, id: string) {
  return ctx.waivers.find(
    (w) =>
      w.waiver.rule === id && (w.state === 'active' || w.state === 'expired') && w.waiver.zone === undefined,
  );
}

export function describeEntry(entry: SettingsEntry): string {
  switch (entry.kind) {
    case 'rule':
      return `${entry.list} rule "${entry.value}"`;
    case 'setting':
      return `setting ${entry.path.join('.')}: ${JSON.stringify(entry.value)}`;
    case 'env':
      return `env ${entry.name}`;
    case 'hook':
      return `${entry.event} hook`;
    case 'item':
      return `${entry.path.join('.')} entry ${JSON.stringify(entry.value)}`;
  }
}

/** Where a spine entry belongs in settings.json, for a line number. */
export function entryPath(entry: SettingsEntry): (string | number)[] {
  switch (entry.kind) {
    case 'rule':
      return ['permissions', entry.list];
    case 'setting':
      return entry.path;
    case 'env':
      return ['env', entry.name];
    case 'hook':
      return ['hooks', entry.event];
    case 'item':
      return entry.path;
  }
}

/** The content hash of each managed file's bytes: several checks ask about the same file. */
const hashes = new WeakMap<Buffer, string>();

/** A managed file as the lock recorded it: missing, edited or intact. */
export function fileState(ctx: DoctorContext, path: string): 'missing' | 'edited' | 'intact' {
  const current = ctx.managed.get(path);
  if (current === undefined) return 'missing';
  const hash = hashes.get(current) ?? contentHash(current);
  hashes.set(current, hash);
  return hash === ctx.lock.files[path]?.hash ? 'intact' : 'edited';
}
