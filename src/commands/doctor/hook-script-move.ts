import { LOCK_EXECUTABLE } from '../../core/file-mode.js';
import { contentHash } from '../../core/hash.js';
import type { Lock, LockedFile } from '../../core/lock/lock.js';
import type { FileChange } from '../../core/plan.js';
import { HOOK_SCRIPT, LEGACY_HOOK_SCRIPT, type ManagedFile } from '../../core/render/desired-state.js';
import { legacyHookReason } from '../../core/render/settings-entries.js';
import type { DoctorContext } from './context.js';

export interface HookScriptMove {
  changes: FileChange[];
  /** Paths to remove: the old script, only when its bytes are the ones the lock recorded. */
  removals: string[];
  skipped: { path: string; reason: string }[];
  /** The lock with the new script and today's hook wiring recorded; absent when nothing moves. */
  lock?: Pick<Lock, 'files' | 'settings'>;
}

/**
 * Whether --fix may move this repository from spine-hook.mjs to spine-hook.cjs. Launch
 * directories run the root's script too, and only update rewrites their settings: moving the
 * root alone would leave them naming a removed file.
 */
export function canMoveHookScript(ctx: DoctorContext): boolean {
  return Object.keys(ctx.lock.launchDirs ?? {}).length === 0;
}

/**
 * Pure: the move from the ES module hook of earlier releases to spine-hook.cjs. The new script is
 * written and recorded; the old one is removed only when it is a plain file holding exactly the
 * bytes the lock recorded. Anything else (edited, a link) may be the agent's doing and is left in
 * place, named: once no command runs it, it is inert. The lock, the old file and the settings
 * may all have been written by the agent, so nothing here follows a path the lock names except
 * the two fixed script paths, and the applier refuses links out of the repository.
 */
export function planHookScriptMove(ctx: DoctorContext): HookScriptMove {
  const locked = ctx.lock.files[LEGACY_HOOK_SCRIPT];
  const script = ctx.desired.files.find((f) => f.path === HOOK_SCRIPT);
  if (!locked || !script) return { changes: [], removals: [], skipped: [] };
  if (!canMoveHookScript(ctx)) {
    return {
      changes: [],
      removals: [],
      skipped: [
        {
          path: LEGACY_HOOK_SCRIPT,
          reason: 'launch directories run this script too: spine update moves them with the root',
        },
      ],
    };
  }
  const out: HookScriptMove = { changes: [], removals: [], skipped: [] };
  // The entry, and beside it the files it loads (the guard's code, the events that never block).
  const hookFiles = ctx.desired.files.filter((f) => f.kind === 'hook');
  for (const file of hookFiles) {
    const existing = ctx.managed.get(file.path);
    if (existing?.equals(file.content)) continue;
    out.changes.push({
      path: file.path,
      action: existing === undefined ? 'create' : 'update',
      content: file.content,
      ...(file.executable ? { mode: 0o755 } : {}),
      note:
        file.path === HOOK_SCRIPT
          ? 'the hook as CommonJS, in place of spine-hook.mjs'
          : 'a file of the hook, beside spine-hook.cjs',
    });
  }
  const old = ctx.managed.get(LEGACY_HOOK_SCRIPT);
  if (old !== undefined) {
    if (!ctx.legacyHookScript?.plain)
      out.skipped.push({
        path: LEGACY_HOOK_SCRIPT,
        reason: 'a link, not spine’s file: left in place, no longer run',
      });
    else if (contentHash(old) !== locked.hash)
      out.skipped.push({ path: LEGACY_HOOK_SCRIPT, reason: 'edited here: left in place, no longer run' });
    else out.removals.push(LEGACY_HOOK_SCRIPT);
  }
  const record = (file: ManagedFile): LockedFile => ({
    hash: contentHash(file.content),
    kind: file.kind,
    owner: file.owner,
    ...(file.executable ? { mode: LOCK_EXECUTABLE } : {}),
  });
  // In the old script's place, so the lock's order stays as it was.
  const moved = new Set(hookFiles.map((f) => f.path));
  const lockFiles: Lock['files'] = Object.fromEntries(
    Object.entries(ctx.lock.files).flatMap(([path, f]): [string, LockedFile][] =>
      path === LEGACY_HOOK_SCRIPT
        ? hookFiles.map((file): [string, LockedFile] => [file.path, record(file)])
        : moved.has(path)
          ? []
          : [[path, f]],
    ),
  );
  const rendered = new Map(ctx.desired.settings.map((e) => [e.key, e]));
  const settings = ctx.lock.settings.map((e) => {
    const event = /^hooks\.([A-Za-z]+):spine$/.exec(e.key)?.[1];
    const now = rendered.get(e.key);
    return event && now && legacyHookReason(event, e.value) ? { ...e, value: now.value } : e;
  });
  return { ...out, lock: { files: lockFiles, settings } };
}
