import type { FileRow, PendingConflict, SettingsRow } from '../update/types.js';

/** What `spine update` would do to one repository, as the rollout preview names it. */
export type PreviewState =
  | 'current'
  | 'clean'
  | 'merged'
  | 'conflicts'
  | 'not-onboarded'
  | 'unreachable'
  | 'archived'
  | 'failed';

export interface UpdateShape {
  from: { version: string };
  to: { version: string };
  files: FileRow[];
  settings: SettingsRow[];
  pending: PendingConflict[];
}

/**
 * `current`: nothing to change; `clean`: the new version's files and entries go in as they are;
 * `merged`: a team edit met a spine change and git merged them; `conflicts`: someone must choose.
 */
export function classifyUpdate(result: UpdateShape): { state: PreviewState; conflicts: string[] } {
  const conflicts = [
    ...new Set(result.pending.map((p) => p.path ?? p.key ?? p.id ?? p.kind).filter(Boolean)),
  ] as string[];
  if (conflicts.length > 0) return { state: 'conflicts', conflicts };
  const changes = result.files.filter((f) => f.status !== 'kept-deleted' && f.status !== 'kept-team-owned');
  const settings = result.settings.filter((s) => s.sign !== '=');
  if (changes.length === 0 && settings.length === 0 && result.from.version === result.to.version) {
    return { state: 'current', conflicts };
  }
  return { state: changes.some((f) => f.status === 'merged') ? 'merged' : 'clean', conflicts };
}

/** States a publish acts on: a review request is opened (a draft for conflicts). */
export function publishable(state: PreviewState): boolean {
  return state === 'clean' || state === 'merged' || state === 'conflicts';
}
