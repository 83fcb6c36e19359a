/**
 * Transcript entries laid out the way Claude Code writes them (a JSONL file per session), and the
 * PreToolUse audit line the hook writes: what tests feed the hook's transcript reading.
 */

/** The model's tool call. */
export function toolUse(id: string, name: string, input: unknown, timestamp: string) {
  return { type: 'assistant', timestamp, message: { content: [{ type: 'tool_use', id, name, input }] } };
}

export interface ResultOptions {
  isError?: boolean;
  timestamp: string;
  /** More fields of the entry, e.g. the newer client's `permissionDecision`. */
  extra?: Record<string, unknown>;
}

/** The client's entry with a call's result: `content` for the model, `toolUseResult` for itself. */
export function toolResult(id: string, content: unknown, toolUseResult: unknown, options: ResultOptions) {
  const isError = options.isError ?? false;
  return {
    type: 'user',
    timestamp: options.timestamp,
    ...options.extra,
    toolUseResult,
    message: { content: [{ type: 'tool_result', tool_use_id: id, content, is_error: isError }] },
  };
}

/** A finished Bash call, both entries: its output, or with `isError` the error the client shows. */
export function bashCall(id: string, command: string, output: string, options: ResultOptions) {
  const toolUseResult = options.isError ? `Error: ${output}` : { stdout: output, stderr: '' };
  return [
    toolUse(id, 'Bash', { command }, options.timestamp),
    toolResult(id, output, toolUseResult, options),
  ];
}

/** Entries as a transcript file's text. */
export function jsonl(entries: unknown[]): string {
  return `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;
}

/** The line the PreToolUse hook logged for a Bash call it allowed (`extra` changes it). */
export function preToolUseLine(session: string, id: string, ts: string, extra: object = {}): string {
  return JSON.stringify({
    ts,
    event: 'PreToolUse',
    session_id: session,
    agent_id: null,
    agent_type: null,
    tool_name: 'Bash',
    tool_use_id: id,
    decision: 'allow',
    rule: null,
    spine_version: '1.0.0',
    ...extra,
  });
}
