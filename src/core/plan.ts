/** A change to one file, computed before anything is written. */
export interface FileChange {
  path: string;
  action: 'create' | 'update';
  content: Buffer;
  /** 0o755 for an executable script, 0o644 to drop an x bit; absent leaves the mode as it is. */
  mode?: number;
  /** Why, for people: "skill review-change", "merge 42 rules", … */
  note: string;
}

export interface Plan {
  changes: FileChange[];
}

export function describeAction(change: FileChange): string {
  return `${change.action === 'create' ? '+' : '~'} ${change.path}  (${change.note})`;
}
