/** What a contribution asks of a forge, whichever forge it is. */
export interface ReviewRequest {
  title: string;
  body: string;
  branch: string;
  /** Where the branch was pushed when not to the spine itself: the fork's owner (GitHub) or project path (GitLab). */
  fork?: string;
  base: string;
  draft: boolean;
  reviewers: string[];
}

export interface OpenedReview {
  url: string;
  number: number;
  /** false: an open review for the branch existed already and was reused. */
  created: boolean;
  /** A reused review whose title or description differed was rewritten to this run's text. */
  updated: boolean;
  reviewers: string[];
  /** Non-fatal trouble, e.g. a reviewer the forge would not add. */
  warnings: string[];
}

/** The newest review request of a branch, in any state. */
export interface ReviewState {
  url: string;
  number: number;
  state: 'open' | 'merged' | 'closed';
  draft: boolean;
  /** When it was merged (ISO time), for a merged one. */
  mergedAt?: string;
}

export interface ForgeClient {
  /** Proves the API answers and the token is accepted before anything is pushed. */
  preflight(): Promise<{
    defaultBranch: string;
    archived?: boolean;
    /** Whether the token may push branches there; undefined when the forge did not say. */
    canPush?: boolean;
  }>;
  openReview(request: ReviewRequest): Promise<OpenedReview>;
  /** The newest review request whose source is `branch`, open or not. */
  reviewFor(branch: string): Promise<ReviewState | undefined>;
}

export type ForgeFailure = 'auth' | 'unreachable' | 'not-found' | 'rejected';

/** A forge call that failed, classified so the command can say what to do about it. */
export class ForgeError extends Error {
  readonly kind: ForgeFailure;
  readonly status?: number;

  constructor(kind: ForgeFailure, message: string, status?: number) {
    super(message);
    this.name = 'ForgeError';
    this.kind = kind;
    this.status = status;
  }
}

export function classifyStatus(status: number): ForgeFailure {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status >= 500) return 'unreachable';
  return 'rejected';
}

/** Every forge request gives up after this long: a hung API is a failure, not a hang. */
export const FORGE_TIMEOUT_MS = 30_000;
