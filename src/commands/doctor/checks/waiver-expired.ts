import { LOCAL_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

/** An expired waiver no longer covers its weakened guardrail. */
export const waiverExpired: Check = {
  code: 'waiver-expired',
  check: (ctx) =>
    ctx.waivers
      .filter((w) => w.state === 'expired')
      .map(({ waiver, line }) =>
        finding(
          'waiver-expired',
          'warning',
          'waivers',
          LOCAL_FILE,
          `waiver for ${waiver.rule} expired on ${waiver.expires}`,
          `renew it with a new expiry and approval, or remove it and run spine doctor --fix to restore ${waiver.rule}`,
          { line, guardrail: waiver.rule },
        ),
      ),
};
