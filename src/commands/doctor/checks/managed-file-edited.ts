import type { ManagedKind } from '../../../core/render/desired-state.js';
import { managedFileLabel } from '../../../core/render/file-label.js';
import { type Check, fileState, finding } from '../check.js';

/** Kinds reported here; the hook runtime and its policy are hook-script-edited. */
export const CONTENT_KINDS = new Set<ManagedKind>(['skill', 'agent', 'command', 'glossary', 'workflow']);

/** A managed skill/agent/command/glossary/CI workflow changed locally: an improvement to share, or drift. */
export const managedFileEdited: Check = {
  code: 'managed-file-edited',
  check: (ctx) =>
    Object.entries(ctx.lock.files)
      .filter(([path, f]) => CONTENT_KINDS.has(f.kind) && fileState(ctx, path) === 'edited')
      .map(([path, f]) =>
        finding(
          'managed-file-edited',
          'warning',
          'managed-files',
          path,
          `managed ${managedFileLabel(f.kind, f.owner)} was edited locally`,
          f.kind === 'skill'
            ? `contribute it back (spine contribute ${f.owner}) or restore it (spine doctor --fix)`
            : f.kind === 'workflow'
              ? 'restore it (spine doctor --fix); the workflow is the org rollout, changed through spine'
              : 'contribute it back or restore it (spine doctor --fix)',
        ),
      ),
  fix: (f) => [{ kind: 'restore-file', path: f.path }],
};
