import { appendLine } from './append-line.js';
import { buildRecord } from './audit-record.js';
import { DeadlineError, stopDeadline } from './deadline.js';
import { decide } from './decide.js';
import { guardFriction, sandboxFriction } from './friction.js';
import { withLaunchDir } from './launch-dir.js';
import { awaitPending, isBarrier, markPending } from './pending.js';
import { sandboxNearMiss } from './sandbox-denial.js';
import { SecretMatcher } from './secret-guard.js';
import type { Friction, HookContext, HookPayload, HookPolicy, Verdict } from './types.js';
import { isoDay } from './utc-time.js';

export interface HookResult {
  /** JSON for Claude Code on stdout (a PreToolUse deny), if any. */
  stdout?: string;
  verdict?: Verdict;
  /** Ordinary work a guardrail stopped on this call, when it was that. */
  friction?: Friction;
  /** Why the guard could not decide: the call is blocked with this line (fail closed). */
  failed?: string;
  /** Where the audit line went, when one was written. */
  logFile?: string;
}

/**
 * The events the guard decides. PreSkillShellCommand (client 2.1.332): a skill's or command's
 * `!` shell line, about to run as Bash with no tool call of its own — guarded like a Bash call;
 * a deny (or exit 2) leaves the line unrun ("[not run: blocked by hook: …]", verified).
 */
export const GUARDED_EVENTS: ReadonlySet<string> = new Set(['PreToolUse', 'PreSkillShellCommand']);

/**
 * One event: decide (PreToolUse, PreSkillShellCommand), answer, record. The guard's verdict stands even when the log
 * cannot be written; an error in the guard is a deny (`failed`), recorded like any other.
 */
export function handleEvent(
  payload: HookPayload,
  policy: HookPolicy,
  ctx: HookContext,
  warn: (message: string) => void,
  /** More audit work for this event (records from the transcript), inside the same barrier. */
  more?: () => void,
  /** False when another copy of the hook records this event (event-claim.ts): decide only. */
  record = true,
): HookResult {
  const event = payload.hook_event_name ?? '';
  const result: HookResult = {};
  const guarded = GUARDED_EVENTS.has(event);
  if (guarded) {
    try {
      if (typeof payload.tool_name !== 'string') throw new Error('the event names no tool');
      const input =
        payload.tool_input && typeof payload.tool_input === 'object'
          ? (payload.tool_input as Record<string, unknown>)
          : {};
      result.verdict = decide(policy, { tool: payload.tool_name, input }, ctx);
    } catch (error) {
      result.failed =
        error instanceof DeadlineError
          ? error.message
          : `the guard failed on this call: ${(error as Error).message}`;
      result.verdict = { decision: 'deny', rule: null, layer: 'guard', reason: `spine: ${result.failed}` };
    }
  }
  // Only the decision races the client's timeout; the record of it is written whatever the clock says.
  stopDeadline();
  if (guarded) {
    if (!result.failed) result.friction = guardFriction(payload, result.verdict);
    if (result.verdict?.decision === 'deny' && !result.failed) {
      result.stdout = JSON.stringify({
        hookSpecificOutput: {
          hookEventName: event,
          permissionDecision: 'deny',
          permissionDecisionReason: result.verdict.reason,
        },
      });
    }
  }
  if ((event === 'PostToolUse' || event === 'PostToolUseFailure') && policy.sandbox) {
    try {
      const matcher = new SecretMatcher(policy, ctx);
      result.verdict = sandboxNearMiss(payload, policy, matcher, ctx);
      if (!result.verdict) result.friction = sandboxFriction(payload, policy, matcher, ctx);
    } catch (error) {
      warn(`spine: could not check the output for a sandbox refusal: ${(error as Error).message}`);
    }
  }
  const audit = policy.audit;
  if (record && audit?.enabled && audit.events.includes(event)) {
    const dir = auditDir(ctx.projectDir, audit.dir);
    const root = auditRoot(ctx.projectDir, audit.dir);
    const release = markPending(dir, event, payload.session_id, root, warn);
    try {
      const record = withLaunchDir(
        buildRecord(payload, policy, result.verdict, ctx.now, warn, result.friction),
        ctx,
      );
      const file = `${dir}/${isoDay(ctx.now)}.jsonl`;
      appendLine(file, JSON.stringify(record), root);
      result.logFile = file;
    } catch (error) {
      warn(`spine: could not write the audit log: ${(error as Error).message}`);
    }
    // An async event's work counts as in flight until all of it is done; a closing event's
    // work comes after the writers it waits for.
    const closing = isBarrier(event);
    try {
      if (!closing) more?.();
    } finally {
      release();
    }
    awaitPending(dir, event, payload.session_id, root);
    if (closing) more?.();
  }
  return result;
}

export function auditDir(projectDir: string, dir: string): string {
  const base = dir.startsWith('/') ? dir : `${projectDir}/${dir}`;
  return base.replace(/\/+$/, '');
}

/**
 * Where the no-link check of the audit directory starts: the project for a directory inside it
 * (so `.spine` and `.spine/audit` themselves cannot be links), the directory itself when the
 * spine names an absolute one (a machine path a person chose, links and all).
 */
export function auditRoot(projectDir: string, dir: string): string {
  return dir.startsWith('/') ? auditDir(projectDir, dir) : projectDir.replace(/\/+$/, '') || '/';
}

export function logFile(projectDir: string, dir: string, now: Date): string {
  return `${auditDir(projectDir, dir)}/${isoDay(now)}.jsonl`;
}
