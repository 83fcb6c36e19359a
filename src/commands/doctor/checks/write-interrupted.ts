import { TXN_JOURNAL } from '../../../io/transaction/journal.js';
import { type Check, finding } from '../check.js';

/**
 * A spine command was killed mid-write (a crash, kill -9, a full disk): each file is whole, but
 * some may be new and some old, so other findings may be passing states. Read-only doctor does
 * not touch it; the next writing command completes or rolls it back first.
 */
export const writeInterrupted: Check = {
  code: 'write-interrupted',
  check: (ctx) => {
    const found = ctx.interruptedWrite;
    if (!found) return [];
    if ('untrusted' in found)
      return [
        finding(
          'write-interrupted',
          'error',
          'source',
          TXN_JOURNAL,
          `a transaction journal spine will not trust: ${found.untrusted.split('; spine will not act')[0]}`,
          `nothing of spine writes while it is there; if you did not write it, the agent may have: check "git status" and ${TXN_JOURNAL}, then delete .spine/txn/`,
        ),
      ];
    const r = found.recovery;
    const what = r.action === 'completed' ? 'finishes' : 'puts back';
    return [
      finding(
        'write-interrupted',
        'error',
        'source',
        TXN_JOURNAL,
        `spine ${r.command} was interrupted while writing (${r.startedAt}): files may be part old, part new`,
        `run spine doctor --fix: it first ${what} ${r.paths.join(', ')}, then repairs`,
      ),
    ];
  },
};
