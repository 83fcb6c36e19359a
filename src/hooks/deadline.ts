/**
 * The guard's time budget. The client cancels a hook at its timeout and then runs the tool call,
 * so a guard that is slow is a guard that is off. Every loop whose length an agent controls
 * (words of a command, names in a directory) checks this clock and gives up with a deny well
 * before the client's timeout.
 */
let at = Number.POSITIVE_INFINITY;

export const DEFAULT_DEADLINE_MS = 4000;

export class DeadlineError extends Error {}

export function startDeadline(ms: number): void {
  at = Date.now() + ms;
}

export function checkDeadline(): void {
  if (Date.now() > at)
    throw new DeadlineError('the guard could not decide within its time limit (the command is too large)');
}
