import type { Problem } from '../problems.js';

/** What happened to one managed path, for the `STATUS | PATH | NOTE` table. */
export type FileStatus =
  | 'updated'
  | 'merged'
  | 'conflict'
  | 'added'
  | 'deleted'
  | 'kept-deleted'
  | 'kept-team-owned'
  | 'renamed';

export interface FileRow {
  status: FileStatus;
  path: string;
  note: string;
  /** Conflict regions left as markers in the file, counted by scanning them. */
  regions?: number;
}

/** `+` added, `-` removed, `~` changed, `!` conflict, `=` kept as the team has it. */
export type SettingsSign = '+' | '-' | '~' | '!' | '=';

export interface SettingsRow {
  sign: SettingsSign;
  key: string;
  id?: string;
  note: string;
  /** The guardrail's level, on an entry the team removed and that stays removed. */
  level?: string;
  /** The launch directory whose settings hold the entry; absent for the root's. */
  path?: string;
}

export type PendingKind = 'text' | 'block' | 'binary' | 'deleted' | 'exists' | 'setting';

/**
 * A conflict the update left for a person, recorded in the lock's `pending` field until
 * `spine resolve` or `spine update --continue` settles it. Files carry hashes (null = missing);
 * settings entries carry the values themselves (null = absent).
 */
export interface PendingConflict {
  kind: PendingKind;
  /** The file; for a setting, only when it is a launch directory's (absent: the root's). */
  path?: string;
  key?: string;
  /** The key ours is under, when it differs (a rule the new version replaced by another). */
  oursKey?: string;
  id?: string;
  ours: unknown;
  theirs: unknown;
  regions?: number;
  /** Where the other side was written next to the file (binary files, files the team owns). */
  side?: string;
}

/** One write of the plan; no content means delete. */
export interface UpdateWrite {
  path: string;
  content?: Buffer;
  /** 0o755 or 0o644 when the x bit changes (three-way, like content); absent keeps the mode. */
  mode?: number;
}

/** The three sides of a conflicted file, kept in the journal so `resolve` can redo the merge. */
export interface ConflictSides {
  path: string;
  ours?: Buffer;
  base?: Buffer;
  theirs?: Buffer;
}

export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

/** A three-way text merge (git merge-file), injected so the core stays free of processes. */
export type MergeText = (ours: Buffer, base: Buffer, theirs: Buffer, labels: MergeLabels) => Promise<Buffer>;

export interface FilesOutcome {
  rows: FileRow[];
  writes: UpdateWrite[];
  pending: PendingConflict[];
  sides: ConflictSides[];
  warnings: Problem[];
  /** Managed files moved by a rename declared in the spine. */
  moves: { from: string; to: string }[];
}
