import { applyEdits, modify } from 'jsonc-parser';
import { modeFor } from '../../core/file-mode.js';
import type { Finding } from '../../core/findings.js';
import { contentHash } from '../../core/hash.js';
import { DEFAULT_MAX_LAUNCH_DIRS } from '../../core/launch-dirs/select.js';
import { executablePaths, expectedExecutable, type Lock, serialiseLock } from '../../core/lock/lock.js';
import type { FileChange } from '../../core/plan.js';
import { withBlock } from '../../core/render/claude-block.js';
import {
  CLAUDE_MD,
  LOCAL_FILE,
  LOCK_FILE,
  SETTINGS_FILE,
  type SettingsEntry,
} from '../../core/render/desired-state.js';
import { detectFormat, mergeSettings } from '../../core/settings/merge-settings.js';
import { ZONES_FILE } from '../../core/zones/zone-map.js';
import type { FixEdit } from './check.js';
import { wantedZoneMap } from './checks/zone-map-stale.js';
import type { DoctorContext } from './context.js';
import { planHookScriptMove } from './hook-script-move.js';
import { checkFor } from './registry.js';

export interface FixPlan {
  changes: FileChange[];
  /** Files to remove (the hook script of an earlier release, when it is exactly spine's). */
  removals: string[];
  /** Findings --fix cannot repair, with the reason. */
  skipped: { path: string; reason: string }[];
}

/** Pure: the file changes that restore what the lock says spine owns. Never removes team entries. */
export function planFix(ctx: DoctorContext, findings: Finding[], claudeSeed: string): FixPlan {
  const edits = findings.flatMap((f) => checkFor(f.code)?.fix?.(f, ctx) ?? []);
  const changes: FileChange[] = [];
  const skipped: FixPlan['skipped'] = [];
  const done = new Set<string>();

  // Content first: a restored file gets its mode with its bytes, so a mode fix for it is moot.
  const spineExecutable = executablePaths(ctx.desired);
  const ordered = [
    ...edits.filter((e) => e.kind === 'restore-file'),
    ...edits.filter((e) => e.kind === 'restore-mode'),
  ];
  for (const edit of ordered) {
    if (done.has(edit.path)) continue;
    done.add(edit.path);
    const locked = ctx.lock.files[edit.path];
    const mode = locked && modeFor(expectedExecutable(locked, spineExecutable.has(edit.path)));
    const current = ctx.managed.get(edit.path);
    if (edit.kind === 'restore-mode') {
      if (current !== undefined && mode !== undefined)
        changes.push({ path: edit.path, action: 'update', content: current, mode, note: 'mode restored' });
      continue;
    }
    const desired = ctx.desired.files.find((f) => f.path === edit.path);
    if (!desired || contentHash(desired.content) !== locked?.hash) {
      skipped.push({
        path: edit.path,
        reason: 'the spine source no longer has the locked content (run spine update)',
      });
      continue;
    }
    const exists = current !== undefined;
    changes.push({
      path: edit.path,
      action: exists ? 'update' : 'create',
      content: desired.content,
      // A file with no x bit to restore keeps the mode it has.
      ...(mode !== undefined && (mode & 0o111 || ctx.executable.has(edit.path)) ? { mode } : {}),
      note: exists ? 'restored' : 'restored (was missing)',
    });
  }

  const settings = settingsChange(ctx, edits);
  if (settings) changes.push(settings);
  const moved = edits.some((e) => e.kind === 'move-hook-script') ? planHookScriptMove(ctx) : undefined;
  if (moved) skipped.push(...moved.skipped);
  const move = moved?.lock ? { ...moved, lock: moved.lock } : undefined;
  if (move) changes.push(...move.changes);

  if (edits.some((e) => e.kind === 'restore-claude-block')) {
    if (contentHash(ctx.desired.claudeBlock) !== ctx.lock.claudeMd?.hash) {
      skipped.push({
        path: CLAUDE_MD,
        reason: 'the spine source no longer has the locked block (run spine update)',
      });
    } else {
      changes.push({
        path: CLAUDE_MD,
        action: ctx.claudeMd === undefined ? 'create' : 'update',
        content: Buffer.from(withBlock(ctx.claudeMd, ctx.desired.claudeBlock, claudeSeed)),
        note: 'spine block restored, every other byte kept',
      });
    }
  }
  const guarded = guardLaunchDirs(ctx, edits);
  changes.push(...guarded.changes);
  skipped.push(...guarded.skipped);
  const lockFiles = move?.lock.files ?? ctx.lock.files;
  const zones = edits.some((e) => e.kind === 'write-zone-map') ? zoneMapChange(ctx, lockFiles) : undefined;
  if (zones) changes.push(zones.change);
  if (guarded.launchDirs || zones || move) {
    changes.push({
      path: LOCK_FILE,
      action: 'update',
      content: Buffer.from(
        serialiseLock({
          ...ctx.lock,
          ...(move ? move.lock : {}),
          ...(zones ? { files: zones.files } : {}),
          ...(guarded.launchDirs ? { launchDirs: guarded.launchDirs } : {}),
        }),
      ),
      note: [
        guarded.launchDirs && 'launch directories recorded',
        zones && 'zone map recorded',
        move && 'hook script spine-hook.cjs recorded',
      ]
        .filter(Boolean)
        .join(', '),
    });
  }
  return { changes, removals: move?.removals ?? [], skipped };
}

/** The zone map as local.yaml says now, and the lock's files recording it. */
function zoneMapChange(
  ctx: DoctorContext,
  lockFiles: Lock['files'],
): { change: FileChange; files: Lock['files'] } | undefined {
  const wanted = wantedZoneMap(ctx);
  if (!wanted) return undefined;
  const current = ctx.managed.get(ZONES_FILE);
  const files = Object.fromEntries(
    Object.entries({
      ...lockFiles,
      [ZONES_FILE]: { hash: contentHash(wanted), kind: 'zones' as const, owner: 'zones' },
    }).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return {
    change: {
      path: ZONES_FILE,
      action: current === undefined ? 'create' : 'update',
      content: wanted,
      note: 'team zone map written from .spine/local.yaml',
    },
    files,
  };
}

/**
 * Each launch directory a finding names gets the spine's entries rebased to it, merged into what
 * it has (as init does); one the lock does not record yet is recorded, with the keys it had.
 */
function guardLaunchDirs(
  ctx: DoctorContext,
  edits: FixEdit[],
): FixPlan & { launchDirs?: Lock['launchDirs'] } {
  const paths = new Set(edits.flatMap((e) => (e.kind === 'guard-launch-dir' ? [e.path] : [])));
  const out: FixPlan & { launchDirs?: Lock['launchDirs'] } = { changes: [], removals: [], skipped: [] };
  // The same cap as init: never a silent write of thousands of files.
  const max = ctx.local.launchDirs?.max ?? DEFAULT_MAX_LAUNCH_DIRS;
  if (paths.size > 0 && ctx.launchDirs.length > max) {
    out.skipped.push({
      path: LOCAL_FILE,
      reason: `${ctx.launchDirs.length} launch directories, more than the cap of ${max}: none guarded. Narrow them with launchDirs.exclude in .spine/local.yaml, or raise the cap there (launchDirs.max: ${ctx.launchDirs.length})`,
    });
    return out;
  }
  const record = { ...ctx.lock.launchDirs };
  for (const dir of ctx.launchDirs.filter((d) => paths.has(d.path))) {
    const file = `${dir.path}/${SETTINGS_FILE}`;
    if (dir.file === 'dropped') {
      out.skipped.push({ path: file, reason: 'Claude Code drops this file: correct it by hand first' });
      continue;
    }
    const merged = mergeSettings(dir.text, dir.wanted);
    if (!dir.recorded) {
      const team = [...merged.present].sort();
      record[dir.path] = team.length > 0 ? { team } : {};
    }
    if (merged.added.length === 0) continue;
    out.changes.push({
      path: file,
      action: dir.text === undefined ? 'create' : 'update',
      content: Buffer.from(merged.text),
      note: `launch directory: ${merged.added.length} spine entr${merged.added.length === 1 ? 'y' : 'ies'} ${dir.recorded ? 're-added' : 'written'}`,
    });
  }
  if (Object.keys(record).length !== Object.keys(ctx.lock.launchDirs ?? {}).length)
    out.launchDirs = Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  return out;
}

/** Replaced hook groups first (in place), then missing entries appended, formatting kept. */
function settingsChange(ctx: DoctorContext, edits: FixEdit[]): FileChange | undefined {
  const original = ctx.settingsFiles.find((s) => s.file === SETTINGS_FILE)?.text;
  let text = original;
  let replaced = 0;
  for (const edit of edits) {
    if (edit.kind !== 'replace-hook' || text === undefined) continue;
    const format = detectFormat(text);
    text = applyEdits(
      text,
      modify(text, ['hooks', edit.event, edit.index], edit.value, { formattingOptions: format }),
    );
    replaced++;
  }
  const entries = uniqueEntries(edits);
  // The spine's whole order places each re-added entry where init wrote it.
  const merged = entries.length > 0 ? mergeSettings(text, entries, ctx.desired.settings) : undefined;
  const final = merged?.text ?? text;
  if (final === undefined || final === original) return undefined;
  const added = merged?.added.length ?? 0;
  return {
    path: SETTINGS_FILE,
    action: original === undefined ? 'create' : 'update',
    content: Buffer.from(final),
    note: `${added} spine entr${added === 1 ? 'y' : 'ies'} re-added${replaced ? `, ${replaced} hook(s) restored` : ''}`,
  };
}

function uniqueEntries(edits: FixEdit[]): SettingsEntry[] {
  const byKey = new Map<string, SettingsEntry>();
  for (const e of edits) if (e.kind === 'add-entry') byKey.set(e.entry.key, e.entry);
  return [...byKey.values()];
}
