import { managedFileLabel } from '../../../core/render/file-label.js';
import { type Check, fileState, finding } from '../check.js';
import { CONTENT_KINDS } from './managed-file-edited.js';

export const managedFileMissing: Check = {
  code: 'managed-file-missing',
  check: (ctx) =>
    Object.entries(ctx.lock.files)
      .filter(([path, f]) => CONTENT_KINDS.has(f.kind) && fileState(ctx, path) === 'missing')
      .map(([path, f]) =>
        finding(
          'managed-file-missing',
          'warning',
          'managed-files',
          path,
          `managed ${managedFileLabel(f.kind, f.owner)} is missing`,
          'run spine doctor --fix to restore it',
        ),
      ),
  fix: (f) => [{ kind: 'restore-file', path: f.path }],
};
