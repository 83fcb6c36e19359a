import { TXN_JOURNAL } from '../../../io/transaction/journal.js';
import { type Check, finding } from '../check.js';

/**
 * A spine command was killed mid-write (a crash, kill -9, a full disk): each file is whole, but
 * some may be new and some old, so other findings may be passing states. Read-only doctor does
 * not touch it; the next writing command completes or rolls it back first.
 */
export const writeInterrupted: Check = {
  code: 'write-interrupted',
  check: (ctx) =>
    ctx.interruptedWrite
      ? [
          finding(
            'write-interrupted',
            'error',
            'source',
            TXN_JOURNAL,
            'a spine command was interrupted while writing: files may be part old, part new',
            'run spine doctor --fix: it completes or rolls back the interrupted write first, then repairs',
          ),
        ]
      : [],
};
