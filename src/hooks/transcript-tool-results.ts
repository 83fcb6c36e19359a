import { askOutcome } from './ask-outcome.js';
import { buildRecord } from './audit-record.js';
import { sandboxFriction } from './friction.js';
import { withLaunchDir } from './launch-dir.js';
import { personId } from './person-id.js';
import { sandboxNearMiss } from './sandbox-denial.js';
import { SecretMatcher } from './secret-guard.js';
import type { ToolCall } from './transcript.js';
import { clientDenialRule } from './transcript-denials.js';
import type { AuditRecord, Friction, HookContext, HookPayload, HookPolicy } from './types.js';
import { workarounds } from './workarounds.js';

/** A call the hook saw before it ran: who made it, and what the guard said. */
export interface LoggedCall {
  agent_id: string | null;
  agent_type: string | null;
  decision: string | undefined;
  /** The spine guardrail behind the decision. */
  rule?: string | null;
}

/**
 * The PostToolUse / PostToolUseFailure records of finished calls, rebuilt from the transcript
 * instead of a hook process per call: the client writes every result there anyway, so the agent
 * pays nothing per call for them (docs/hooks.md). A record is made for each call the hook let
 * through (`pre`) that has a result and no record yet (`done`) — exactly the calls a PostToolUse
 * hook would have fired for — with what that hook would have written: the redacted input, the
 * subagent an Agent call started, a sandbox refusal found in the output.
 */
export function transcriptToolResults(
  calls: ToolCall[],
  sessionId: string,
  pre: ReadonlyMap<string, LoggedCall>,
  done: ReadonlySet<string>,
  policy: HookPolicy,
  ctx: HookContext,
  warn: (message: string) => void,
): AuditRecord[] {
  const events = policy.audit?.events ?? [];
  const successes = events.includes('PostToolUse');
  const failures = successes || events.includes('PostToolUseFailure');
  const matcher = policy.sandbox ? new SecretMatcher(policy, ctx) : undefined;
  const out: AuditRecord[] = [];
  // Who answers this session's asks: looked up once, and only when there is an answer to count.
  let person: string | undefined | null = null;
  const workedAround = workarounds(calls, pre, policy, ctx.projectDir, (call) =>
    clientDenialRule(call, policy, { ...ctx, cwd: call.result?.cwd ?? ctx.cwd }),
  );
  for (const call of calls) {
    const result = call.result;
    const before = pre.get(call.id);
    if (!result || !before || before.decision === 'deny' || done.has(call.id)) continue;
    if (result.isError ? !failures : !successes) continue;
    const payload: HookPayload = {
      hook_event_name: result.isError ? 'PostToolUseFailure' : 'PostToolUse',
      session_id: sessionId,
      agent_id: before.agent_id ?? call.agentId ?? undefined,
      agent_type: before.agent_type ?? call.agentType ?? undefined,
      tool_name: call.name,
      tool_use_id: call.id,
      tool_input: call.input,
      tool_response: result.isError ? undefined : result.response,
      ...(result.isError ? { error: result.text } : {}),
      ...(result.promptId ? { prompt_id: result.promptId } : {}),
      ...(result.sandboxed !== undefined ? { sandboxed: result.sandboxed } : {}),
    };
    const at = result.ts ? new Date(result.ts) : ctx.now;
    const cwd = result.cwd ?? ctx.cwd;
    let verdict: ReturnType<typeof sandboxNearMiss>;
    let friction: Friction | undefined;
    // A refusal in the output of a call the client says ran outside the sandbox is not the
    // sandbox's (file permissions, another tool): neither a sandbox near-miss nor its friction.
    if (matcher && result.sandboxed !== false) {
      try {
        verdict = sandboxNearMiss(payload, policy, matcher, { ...ctx, cwd });
        if (!verdict) friction = sandboxFriction(payload, policy, matcher, { ...ctx, cwd });
      } catch (error) {
        warn(`spine: could not check the output for a sandbox refusal: ${(error as Error).message}`);
      }
    }
    friction ??= workedAround.get(call.id);
    const ask = askOutcome(before, result);
    if (ask) {
      if (person === null) person = personId(ctx.projectDir);
      if (person) ask.person = person;
    }
    out.push(
      withLaunchDir(
        buildRecord(payload, policy, verdict, Number.isNaN(at.getTime()) ? ctx.now : at, warn, friction, ask),
        { ...ctx, cwd },
      ),
    );
  }
  return out;
}
