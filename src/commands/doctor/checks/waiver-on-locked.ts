import { LOCAL_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

/** Locked guardrails cannot be waived; the waiver itself is the attempt to weaken one. */
export const waiverOnLocked: Check = {
  code: 'waiver-on-locked',
  check: (ctx) =>
    ctx.waivers
      .filter((w) => w.state === 'on-locked')
      .map(({ waiver, line }) =>
        finding(
          'waiver-on-locked',
          'error',
          'waivers',
          LOCAL_FILE,
          `waiver for ${waiver.rule}, a locked guardrail: locked guardrails cannot be waived`,
          'remove the waiver; to change a locked guardrail, propose it to the spine owners',
          { line, guardrail: waiver.rule },
        ),
      ),
};
