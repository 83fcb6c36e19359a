/**
 * What the hook knows of an event before it parses it: the entry (entry.ts) picks the code cache
 * entry by it and, when the hook's code cannot be loaded, whether to block; the guard (main.ts)
 * whether an event it cannot parse may block.
 */

/** The events that never block: anything else is guarded when in doubt. */
export const NEVER_BLOCKS: ReadonlySet<string> = new Set([
  'SessionStart',
  'SessionEnd',
  'UserPromptSubmit',
  'Stop',
  'SubagentStart',
  'SubagentStop',
  'PostToolUse',
  'PostToolUseFailure',
  'Notification',
  'PreCompact',
]);

/** The event an unparsed or unparsable payload is for, as far as the text shows it; '' if unknown. */
export function eventOf(raw: string): string {
  return /"hook_event_name"\s*:\s*"([A-Za-z]+)"/.exec(raw)?.[1] ?? '';
}

/**
 * The kind of work an event makes the hook do, which names its code cache entry: the event, and
 * for a tool call the tool (an MCP tool as `mcp`). A wrong guess would cost only compile time,
 * never a decision.
 */
export function eventKind(payload: unknown): string {
  if (!payload || typeof payload !== 'object') return 'unparsed';
  const { hook_event_name: event, tool_name: tool } = payload as Record<string, unknown>;
  if (!isName(event)) return 'unknown';
  if (event !== 'PreToolUse' && event !== 'PreSkillShellCommand') return event;
  if (typeof tool !== 'string') return `${event}.none`;
  return `${event}.${tool.startsWith('mcp__') ? 'mcp' : isName(tool) ? tool : 'other'}`;
}

/** 1–64 ASCII letters. A loop, not a regular expression: the entry compiles none. */
function isName(text: unknown): text is string {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) return false;
  }
  return true;
}
