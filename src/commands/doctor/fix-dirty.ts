import type { FileChange } from '../../core/plan.js';
import { UserError } from '../../errors.js';
import type { TxnWrite } from '../../io/transaction/index.js';
import { dirtyPaths } from '../update/safety.js';
import type { DoctorContext } from './context.js';

/**
 * Like update, --fix never silently replaces a managed file that has uncommitted changes: git
 * could not give that work back. Refused (exit 2, naming the files) unless forced; forced, the
 * replaced bytes are kept under .spine/backup/<time>/ in the same transaction as the fix.
 */
export async function protectDirty(
  ctx: DoctorContext,
  changes: FileChange[],
  force: boolean,
): Promise<{ writes: TxnWrite[]; dir?: string }> {
  // A mode fix rewrites the same bytes: nothing uncommitted can be lost, so it needs no guard.
  const replaced = changes.filter(
    (c) =>
      c.action === 'update' &&
      ctx.lock.files[c.path] !== undefined &&
      !ctx.managed.get(c.path)?.equals(c.content),
  );
  const dirty = await dirtyPaths(
    ctx.root,
    replaced.map((c) => c.path),
  );
  if (dirty.length === 0) return { writes: [] };
  if (!force) {
    throw new UserError(
      `${dirty.length} managed file(s) --fix would replace have uncommitted changes; commit or stash them, or pass --force to replace them (the old content is kept in .spine/backup/)`,
      { file: dirty[0]! },
      dirty,
    );
  }
  const dir = `.spine/backup/${new Date().toISOString().replace(/[:.]/g, '-')}`;
  return {
    dir,
    writes: [
      { path: '.spine/backup/.gitignore', content: Buffer.from('*\n') },
      ...dirty.map((path) => ({ path: `${dir}/${path}`, content: ctx.managed.get(path) })),
    ],
  };
}
