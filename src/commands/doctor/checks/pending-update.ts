import type { Finding } from '../../../core/findings.js';
import { CLAUDE_MD, LOCK_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

const MARKER = /^<{7} /m;

/** An update stopped half-way: conflicts recorded in the lock, or markers left in files. */
export const pendingUpdate: Check = {
  code: 'pending-update',
  check: (ctx) => {
    const findings: Finding[] = [];
    const pending = Array.isArray(ctx.lock.pending) ? ctx.lock.pending : [];
    if (pending.length > 0) {
      findings.push(
        finding(
          'pending-update',
          'error',
          'source',
          LOCK_FILE,
          `an update is unfinished: ${pending.length} conflict(s) recorded in the lock`,
          'resolve them (spine resolve), then spine update --continue; or spine update --abort',
        ),
      );
    }
    const texts: [string, string | undefined][] = [
      [CLAUDE_MD, ctx.claudeMd],
      ...[...ctx.managed].map(([path, content]): [string, string | undefined] => [
        path,
        content?.toString('utf8'),
      ]),
    ];
    for (const [path, text] of texts) {
      const at = text?.search(MARKER) ?? -1;
      if (at < 0) continue;
      findings.push(
        finding(
          'pending-update',
          'error',
          'source',
          path,
          'conflict markers left by an update',
          'resolve the conflict (spine resolve), then spine update --continue',
          { line: text!.slice(0, at).split('\n').length },
        ),
      );
    }
    return findings;
  },
};
