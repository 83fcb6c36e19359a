import type { ToolCall } from './transcript.js';
import type { LoggedCall } from './transcript-tool-results.js';
import type { AskOutcome } from './types.js';

/**
 * What a person answered when a spine `ask` rule stopped a call, read from the finished call in
 * the transcript (verified with the real clients, docs/clients.md): 2.1.332 and later record
 * `permissionDecision` {decision: accept|reject, source: user_temporary|user_permanent|user_reject}
 * beside each result. 2.1.197 records no decision: a result without error means the person let it
 * run; an error result may be a refusal or a run that failed, so it stays `unknown`.
 */
export function askOutcome(
  before: LoggedCall,
  result: NonNullable<ToolCall['result']>,
): AskOutcome | undefined {
  if (before.decision !== 'ask' || !before.rule) return undefined;
  const permission = result.permission;
  if (permission?.decision === 'accept')
    return { rule: before.rule, outcome: 'allowed', source: permission.source };
  if (permission?.decision === 'reject')
    return { rule: before.rule, outcome: 'refused', source: permission.source };
  return { rule: before.rule, outcome: result.isError ? 'unknown' : 'allowed' };
}
