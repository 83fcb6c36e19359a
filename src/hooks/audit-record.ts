import { compilePatterns, redactShown, redactValue } from './redact.js';
import { isTaskNotification } from './task-notification.js';
import type { AskOutcome, AuditRecord, Friction, HookPayload, HookPolicy, Verdict } from './types.js';
import { isoTime } from './utc-time.js';

const AGENT_TOOLS = new Set(['Agent', 'Task']);

/** The audit line for one event: identity of the agent, the call (redacted), the verdict. */
export function buildRecord(
  payload: HookPayload,
  policy: HookPolicy,
  verdict: Verdict | undefined,
  now: Date,
  warn: (message: string) => void,
  friction?: Friction,
  ask?: AskOutcome,
): AuditRecord {
  const max = policy.audit?.maxFieldChars ?? 4096;
  const extra = compilePatterns(policy.redact, warn);
  const event = str(payload.hook_event_name) ?? 'unknown';
  const record: AuditRecord = {
    ts: isoTime(now),
    event,
    session_id: str(payload.session_id) ?? null,
    agent_id: str(payload.agent_id) ?? null,
    agent_type: str(payload.agent_type) ?? null,
    tool_name: str(payload.tool_name) ?? null,
    tool_use_id: str(payload.tool_use_id) ?? null,
    spine_version: policy.spine.version,
  };
  const promptId = str(payload.prompt_id);
  if (promptId) record.prompt_id = promptId;
  if (payload.tool_input !== undefined) record.tool_input = redactValue(payload.tool_input, max, extra);
  if (verdict) {
    record.decision = verdict.decision;
    record.rule = verdict.rule;
    if (verdict.reason && verdict.decision !== 'allow') record.reason = verdict.reason;
    if (verdict.layer && verdict.decision !== 'allow') record.layer = verdict.layer;
    if (verdict.evaluated) record.evaluated = verdict.evaluated;
  }
  if (typeof payload.sandboxed === 'boolean') record.sandboxed = payload.sandboxed;
  if (friction) record.friction = friction;
  if (ask) record.ask = ask;
  if (event === 'PostToolUse' && AGENT_TOOLS.has(record.tool_name ?? '')) {
    const child = childAgentId(payload.tool_response);
    if (child) record.child_agent_id = child;
  }
  // A skill's shell line: which skill or command ran it.
  if (event === 'PreSkillShellCommand' && str(payload.command_name)) record.skill = str(payload.command_name);
  if (typeof payload.prompt === 'string') record.prompt = redactShown(payload.prompt, max, extra);
  if (event === 'UserPromptSubmit' && isTaskNotification(payload.prompt))
    record.prompt_kind = 'task-notification';
  const detail = str(payload.source) ?? str(payload.reason);
  if (detail && (event === 'SessionStart' || event === 'SessionEnd')) record.detail = detail;
  // Keep the line order stable and readable: spine_version last.
  const { spine_version, ...rest } = record;
  return { ...rest, spine_version };
}

function childAgentId(response: unknown): string | undefined {
  if (!response || typeof response !== 'object') return undefined;
  const r = response as Record<string, unknown>;
  return str(r.agentId) ?? str(r.agent_id);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
