/**
 * The guard's time budget. The client cancels a hook at its timeout and then runs the tool call,
 * so a guard that is slow is a guard that is off. The hook is synchronous, so no timer or signal
 * handler can interrupt a decision that is busy: instead every loop whose length an agent controls
 * (characters of a command, its words and parts, names in a directory, steps of a glob match)
 * counts its steps with `tick`, and the count reads the clock often enough that a decision gives
 * up with a `DeadlineError` (which the hook turns into a deny) within a millisecond or so of the
 * limit, well before the client's timeout. No worker or second process: the hook's start stays
 * as cheap as a bare `node`.
 */
let at = Number.POSITIVE_INFINITY;
let limitMs = 0;
let steps = 0;

export const DEFAULT_DEADLINE_MS = 4000;
/** Steps between two clock reads: a step is a few operations, a clock read costs some tens. */
const STEPS_PER_CHECK = 2048;

export class DeadlineError extends Error {}

/** Starts the budget for one decision (`ms` from now). */
export function startDeadline(ms: number): void {
  at = Date.now() + ms;
  limitMs = Math.round(ms);
  steps = 0;
}

/** No budget: work after the decision (the audit record, events that never block) is not cut off. */
export function stopDeadline(): void {
  at = Number.POSITIVE_INFINITY;
}

export function checkDeadline(): void {
  if (Date.now() > at)
    throw new DeadlineError(
      `the guard ran out of time: it could not decide within its ${limitMs} ms limit, so the call is denied rather than run unchecked`,
    );
}

/** One step of a loop an agent can make long; looks at the clock every few thousand steps. */
export function tick(): void {
  if (++steps >= STEPS_PER_CHECK) {
    steps = 0;
    checkDeadline();
  }
}
