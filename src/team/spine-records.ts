import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KeptPath } from '../core/remove/plan-remove.js';
import { resolveInside } from '../io/transaction/index.js';
import { TXN_DIR } from '../io/transaction/journal.js';

/** doctor --fix --force saves a person's uncommitted edits of managed files here. */
export const BACKUP_DIR = '.spine/backup';

/**
 * The files under `.spine/` that `spine remove` deletes: the lock, local.yaml, the audit log, an
 * update's leftovers. Only regular files, found without following a link: a link there is left
 * (deleting through it would delete whatever it points at). The writer's own `txn/` is its
 * business; saved backups of a person's edits are kept.
 */
export function listSpineRecords(root: string): { files: string[]; kept: KeptPath[] } {
  const files: string[] = [];
  const kept: KeptPath[] = [];
  const contained = resolveInside(root, '.spine');
  if (!('rel' in contained) || contained.rel !== '.spine') {
    return { files, kept: [{ path: '.spine', reason: 'a link, not a directory: left alone' }] };
  }
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = readdirSync(join(root, rel)).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = `${rel}/${name}`;
      if (path === TXN_DIR) continue;
      if (path === BACKUP_DIR) {
        kept.push({
          path,
          reason: 'copies of your edits doctor --fix --force saved: delete once not needed',
        });
        continue;
      }
      const stat = lstatSync(join(root, path));
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) files.push(path);
      else kept.push({ path, reason: 'not a regular file: left alone' });
    }
  };
  walk('.spine');
  return { files, kept };
}
