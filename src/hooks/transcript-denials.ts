import { decide } from './decide.js';
import { withLaunchDir } from './launch-dir.js';
import { redactValue } from './redact.js';
import type { ToolCall } from './transcript.js';
import type { AuditRecord, HookContext, HookPolicy } from './types.js';

/**
 * What Claude Code answers when its own permission rules stop a call. A static deny on a file
 * tool is decided before any hook runs (verified with client 2.1.197: no PreToolUse, no
 * PermissionDenied, no PostToolUseFailure and no OpenTelemetry tool_decision fires), so the
 * transcript's tool result is the only trace of the most common near-miss.
 */
const DENIED = [
  /denied by your permission settings/i,
  /^Permission to use \S+ (?:with .*)?has been denied/i,
  /requested permissions to use \S+, but you haven't granted it yet/i,
];

/**
 * Audit records for calls the client's permission rules stopped without the hook seeing them,
 * attributed to the spine guardrail whose rule covers the call. Calls no spine rule covers are
 * the team's own and are not near-misses of the spine. `seen` holds tool_use ids the hook
 * already recorded.
 */
export function transcriptDenials(
  calls: ToolCall[],
  sessionId: string,
  seen: ReadonlySet<string>,
  policy: HookPolicy,
  ctx: HookContext,
): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const call of calls) {
    const result = call.result;
    if (!result?.isError || seen.has(call.id) || !refusedByRule(result)) continue;
    const input = call.input && typeof call.input === 'object' ? (call.input as Record<string, unknown>) : {};
    const verdict = decide(policy, { tool: call.name, input }, ctx);
    if (verdict.decision === 'allow' || !verdict.rule) continue;
    // A session started in a launch directory says so on these records too (docs/monorepos.md).
    const record: AuditRecord = {
      ts: result.ts ?? ctx.now.toISOString(),
      event: 'PreToolUse',
      session_id: sessionId,
      agent_id: call.agentId,
      agent_type: call.agentType,
      tool_name: call.name,
      tool_use_id: call.id,
      tool_input: redactValue(input, policy.audit?.maxFieldChars ?? 4096, []),
      decision: verdict.decision,
      rule: verdict.rule,
      layer: 'rule',
      spine_version: policy.spine.version,
    };
    out.push(withLaunchDir(record, ctx));
  }
  return out;
}

/**
 * The spine deny rule behind a call the client's own permission rules refused before any hook
 * saw it (workarounds.ts pairs it with a later call that got the same done), if there is one.
 */
export function clientDenialRule(call: ToolCall, policy: HookPolicy, ctx: HookContext): string | undefined {
  if (!call.result?.isError || !refusedByRule(call.result)) return undefined;
  const input = call.input && typeof call.input === 'object' ? (call.input as Record<string, unknown>) : {};
  const verdict = decide(policy, { tool: call.name, input }, ctx);
  return verdict.decision === 'deny' && verdict.rule ? verdict.rule : undefined;
}

/**
 * The client's own record of the decision where it writes one (2.1.332 and later:
 * `permissionDecision` {decision: reject, source: config} for a permission rule; `hook` for a
 * hook's deny, `user_reject` for a person's); older clients leave only the result's text.
 */
function refusedByRule(result: NonNullable<ToolCall['result']>): boolean {
  if (result.permission)
    return result.permission.decision === 'reject' && result.permission.source === 'config';
  return DENIED.some((re) => re.test(result.text));
}
