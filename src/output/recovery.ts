import type { Recovery } from '../io/transaction/index.js';

/** One line on stderr: what the run did about a write a crash interrupted. */
export function formatRecovery(r: Recovery): string {
  const what =
    r.action === 'completed'
      ? 'had finished writing; its cleanup is now done'
      : `was rolled back: ${r.paths.length} file(s) restored as they were before it`;
  return `spine: an interrupted "spine ${r.command}" (started ${r.startedAt}) ${what}`;
}
