/**
 * A background subagent (the client's default from 2.1.198) reports back to the main agent
 * through a UserPromptSubmit whose prompt is a `<task-notification>` block. It is the agent tree
 * talking to itself, not a person: the audit marks it so that no summary counts it as a prompt.
 */
const TASK_NOTIFICATION = /^\s*<task-notification>/;

export function isTaskNotification(prompt: unknown): boolean {
  return typeof prompt === 'string' && TASK_NOTIFICATION.test(prompt);
}
