import { LOCAL_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

/** A waiver that does not meet the spine's waiver policy, or names no guardrail: it covers nothing. */
export const waiverInvalid: Check = {
  code: 'waiver-invalid',
  check: (ctx) =>
    ctx.waivers
      .filter((w) => w.state === 'invalid')
      .map(({ waiver, line, reason }) =>
        finding(
          'waiver-invalid',
          'warning',
          'waivers',
          LOCAL_FILE,
          `waiver for ${waiver.rule} does not count: ${reason}`,
          'correct the waiver (rule id, approvedBy, expires) or remove it',
          { line, guardrail: waiver.rule },
        ),
      ),
};
