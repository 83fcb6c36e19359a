import { entryState } from '../../../core/effective-settings.js';
import { LOCAL_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

/** Honoured waivers, listed so a reviewer sees every recorded exception. */
export const waiverActive: Check = {
  code: 'waiver-active',
  check: (ctx) =>
    ctx.waivers
      .filter((w) => w.state === 'active')
      .map(({ waiver, line }) => {
        const weakened = ctx.entries.some(
          (e) => e.entry.id === waiver.rule && entryState(ctx.written, e.entry).state !== 'in-force',
        );
        const who = waiver.approvedBy ? `, approved by ${waiver.approvedBy}` : '';
        const until = waiver.expires ? `, until ${waiver.expires}` : '';
        return finding(
          'waiver-active',
          'info',
          'waivers',
          LOCAL_FILE,
          `waiver for ${waiver.rule}: ${waiver.reason}${who}${until}${weakened ? '' : ' (not used: the guardrail is in force)'}`,
          weakened ? 'none needed; remove the waiver once the exception ends' : 'remove the unused waiver',
          { line, guardrail: waiver.rule },
        );
      }),
};
