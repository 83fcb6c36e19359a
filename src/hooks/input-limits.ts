import type { ToolCall } from './rule-match.js';

/**
 * Sizes past which the answer is known without reading the input. A command of more than a
 * megabyte is no command a person has an agent type (a file that big goes through the Write tool),
 * and no system call opens a path longer than PATH_MAX; both are denied at once, so the guard's
 * time never depends on them.
 */
export const MAX_COMMAND_CHARS = 1024 * 1024;
export const MAX_PATH_CHARS = 4096;

const PATH_FIELDS = ['file_path', 'notebook_path', 'path'];

/** Why a call is too large to check, or undefined. */
export function oversizedInput(call: ToolCall): string | undefined {
  const command = call.input.command;
  if (call.tool === 'Bash' && typeof command === 'string' && command.length > MAX_COMMAND_CHARS)
    return `the command is ${kb(command.length)} KB, more than the guard checks (${kb(MAX_COMMAND_CHARS)} KB); write large content with the Write tool or split the command`;
  for (const field of PATH_FIELDS) {
    const value = call.input[field];
    if (typeof value === 'string' && value.length > MAX_PATH_CHARS)
      return `the ${field} is ${value.length} characters, longer than any path the system opens (${MAX_PATH_CHARS})`;
  }
  return undefined;
}

function kb(chars: number): number {
  return Math.ceil(chars / 1024);
}
