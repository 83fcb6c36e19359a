import { executablePaths, expectedExecutable } from '../../../core/lock/lock.js';
import { managedFileLabel } from '../../../core/render/file-label.js';
import { type Check, finding } from '../check.js';

/**
 * A managed file whose x bit differs from what spine wrote. A script that lost it cannot be run
 * as its skill says (error); a file that gained one is drift but harmless (warning). Not checked
 * where git ignores modes (core.fileMode=false): that file system does not keep them.
 */
export const managedFileMode: Check = {
  code: 'managed-file-mode',
  check: (ctx) => {
    if (!ctx.modesKept) return [];
    const spineExecutable = executablePaths(ctx.desired);
    return Object.entries(ctx.lock.files)
      .filter(([path]) => ctx.managed.get(path) !== undefined)
      .flatMap(([path, f]) => {
        const expected = expectedExecutable(f, spineExecutable.has(path));
        if (ctx.executable.has(path) === expected) return [];
        const what = `managed ${managedFileLabel(f.kind, f.owner)}`;
        return [
          expected
            ? finding(
                'managed-file-mode',
                'error',
                'managed-files',
                path,
                `${what} is not executable, but the spine ships it as an executable script (mode 755)`,
                `restore the x bit (spine doctor --fix, or chmod +x ${path})`,
              )
            : finding(
                'managed-file-mode',
                'warning',
                'managed-files',
                path,
                `${what} was made executable; the spine ships it as a regular file (mode 644)`,
                `remove the x bit (spine doctor --fix, or chmod -x ${path})`,
              ),
        ];
      });
  },
  fix: (f) => [{ kind: 'restore-mode', path: f.path }],
};
