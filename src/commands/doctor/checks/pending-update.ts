import type { Finding } from '../../../core/findings.js';
import { CLAUDE_MD, LOCK_FILE } from '../../../core/render/desired-state.js';
import { type Check, finding } from '../check.js';

const MARKER = '<<<<<<< ';

/**
 * The line of the first conflict marker (`<<<<<<< ` at the start of a line), or undefined. Searched
 * in the bytes as read: the managed files are a few hundred KB, and none has a marker.
 */
function markerLine(content: string | Buffer): number | undefined {
  const newline = typeof content === 'string' ? '\n' : 0x0a;
  for (let at = content.indexOf(MARKER); at >= 0; at = content.indexOf(MARKER, at + 1)) {
    if (at === 0 || content[at - 1] === newline) {
      let line = 1;
      for (let i = content.indexOf('\n'); i >= 0 && i < at; i = content.indexOf('\n', i + 1)) line++;
      return line;
    }
  }
  return undefined;
}

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
    const files: [string, string | Buffer | undefined][] = [[CLAUDE_MD, ctx.claudeMd], ...ctx.managed];
    for (const [path, content] of files) {
      const line = content === undefined ? undefined : markerLine(content);
      if (line === undefined) continue;
      findings.push(
        finding(
          'pending-update',
          'error',
          'source',
          path,
          'conflict markers left by an update',
          'resolve the conflict (spine resolve), then spine update --continue',
          { line },
        ),
      );
    }
    return findings;
  },
};
