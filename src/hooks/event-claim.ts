import { lstatSync, readdirSync } from 'node:fs';
import { createFile, removeDir, removeFile } from './append-line.js';
import { crypto } from './lazy-builtins.js';
import { PLUGIN_ENV } from './plugin-copy.js';
import { auditDir, auditRoot } from './run-hook.js';
import type { HookPayload, HookPolicy } from './types.js';

/**
 * Where the project's hook and the plugin's copy both run (managed settings enable the plugin and
 * nothing keeps project hooks off), the client hands each event to both, with the same bytes on
 * stdin (verified with client 2.1.332). Exactly one of them records it: the first to create
 * `<audit dir>/.claims/<session>/<sha256 of the event>` (O_EXCL). The other still answers a
 * PreToolUse with its own verdict, which is the same.
 */

/** Claims of sessions idle this long are swept at a later SessionStart. */
const SWEEP_AFTER_MS = 24 * 60 * 60 * 1000;

export function claimsDir(auditDir: string): string {
  return `${auditDir.replace(/\/+$/, '')}/.claims`;
}

function sessionTag(session: string | undefined): string {
  return (session ?? 'none').replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Whether this copy records the event. A claim that cannot be made (a full disk, a link
 * planted in the way) counts as won: a record twice is better than none.
 */
export function claimEvent(
  raw: string,
  auditDir: string,
  root: string,
  session: string | undefined,
  warn: (message: string) => void,
): boolean {
  const key = crypto().createHash('sha256').update(raw).digest('hex').slice(0, 40);
  const file = `${claimsDir(auditDir)}/${sessionTag(session)}/${key}`;
  try {
    createFile(root, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    warn(`spine: could not claim the event for the audit log: ${(error as Error).message}`);
    return true;
  }
}

/** Removes the claims of sessions nothing has claimed for in a day. Never throws. */
export function sweepClaims(auditDir: string, root: string, now: Date): void {
  const dir = claimsDir(auditDir);
  let sessions: string[];
  try {
    sessions = readdirSync(dir);
  } catch {
    return;
  }
  for (const session of sessions) {
    const path = `${dir}/${session}`;
    try {
      const stat = lstatSync(path);
      if (!stat.isDirectory() || now.getTime() - stat.mtimeMs < SWEEP_AFTER_MS) continue;
      for (const name of readdirSync(path)) removeFile(root, `${path}/${name}`);
      removeDir(root, path);
    } catch {
      // A link in the way, or another session sweeping: left for a later sweep.
    }
  }
}

/**
 * False when the other copy of the hook (project or plugin) already records this event. Only
 * where managed settings enabled spine's plugin can there be two.
 */
export function recordsThisEvent(
  raw: string,
  payload: HookPayload,
  policy: HookPolicy,
  projectDir: string,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): boolean {
  const audit = policy.audit;
  if (!env[PLUGIN_ENV] || !audit?.enabled) return true;
  const dir = auditDir(projectDir, audit.dir);
  const root = auditRoot(projectDir, audit.dir);
  const mine = claimEvent(raw, dir, root, payload.session_id, warn);
  if (mine && payload.hook_event_name === 'SessionStart') sweepClaims(dir, root, new Date());
  return mine;
}
