import type { PreviewState } from './classify.js';

export type StatusState =
  | 'done'
  | 'open'
  | 'conflicted'
  | 'declined'
  | 'not-started'
  | 'not-onboarded'
  | 'archived'
  | 'unreachable'
  | 'failed';

/** How each state reads in `rollout status` and on its release page. */
const STATUS_WORDS: Record<StatusState, string> = {
  done: 'done',
  open: 'request open',
  conflicted: 'request open, conflicts to settle',
  declined: 'declined',
  'not-started': 'not started',
  'not-onboarded': 'not onboarded',
  archived: 'archived',
  unreachable: 'unreachable',
  failed: 'cannot update',
};

/** A state in words; one spine does not know (a newer status file) stays as it is. */
export function statusWords(state: string): string {
  return STATUS_WORDS[state as StatusState] ?? state;
}

/** A repository's place in the rollout, from what update would do and its review request. */
export function statusOf(preview: PreviewState, review?: { state: string; draft: boolean }): StatusState {
  if (preview === 'current') return 'done';
  if (
    preview === 'not-onboarded' ||
    preview === 'archived' ||
    preview === 'unreachable' ||
    preview === 'failed'
  ) {
    return preview;
  }
  if (!review) return 'not-started';
  if (review.state === 'closed') return 'declined';
  if (review.state === 'open') return review.draft ? 'conflicted' : 'open';
  // Merged, yet update still has work: the default branch moved on or the merge was reverted.
  return 'not-started';
}

export interface BurndownDay {
  date: string;
  /** Repositories at the release by the end of that day. */
  done: number;
  /** Repositories still to go. */
  remaining: number;
}

/** Done counts per day, from the first day a repository reached the release to the last. */
export function burndown(doneDates: string[], total: number): BurndownDay[] {
  if (doneDates.length === 0) return [];
  const sorted = [...doneDates].sort();
  const days: BurndownDay[] = [];
  const end = Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`);
  // A year at most: a repository updated by hand long ago should not draw a thousand rows.
  const start = Math.max(Date.parse(`${sorted[0]}T00:00:00Z`), end - 365 * 86_400_000);
  for (let t = start; t <= end; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const done = sorted.filter((d) => d <= date).length;
    days.push({ date, done, remaining: total - done });
  }
  return days;
}
