import type { FileChange } from '../../core/plan.js';
import { withRepoWriter } from '../../io/transaction/index.js';

/** A file to write, with its mode when it matters (0o755 for scripts). */
export type ModedChange = FileChange;

/**
 * The one seam through which `spine new` and `spine extract` write: one crash-safe transaction
 * under the directory's writer lock (io/transaction), like every other writing command, modes
 * of scripts included (a crash rolls them back with the bytes).
 */
export async function writeChanges(
  root: string,
  changes: ModedChange[],
  command: string,
  stateDir: string,
): Promise<void> {
  await withRepoWriter(root, { command, stateDir }, async (writer) => {
    writer.apply(changes.map((c) => ({ path: c.path, content: c.content, mode: c.mode })));
  });
}
