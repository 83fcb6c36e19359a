/** What doctor reports: data with a stable code first, prose last (docs/doctor.md lists the codes). */

export type Severity = 'error' | 'warning' | 'info';

export type Category =
  | 'permissions'
  | 'hooks'
  | 'waivers'
  | 'managed-files'
  | 'claude-md'
  | 'settings'
  | 'source'
  | 'skills'
  | 'sandbox'
  | 'secrets';

export interface Finding {
  code: string;
  severity: Severity;
  category: Category;
  /** Repo-relative POSIX path the finding is about. */
  path: string;
  message: string;
  /** What to do about it, for people. */
  fix: string;
  line?: number;
  column?: number;
  /** The guardrail id, when the finding is about one. */
  guardrail?: string;
  /** The lock key of the settings entry, when the finding is about one. */
  entry?: string;
}

export interface FindingSummary {
  error: number;
  warning: number;
  info: number;
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export function summarise(findings: readonly Finding[]): FindingSummary {
  const summary: FindingSummary = { error: 0, warning: 0, info: 0 };
  for (const f of findings) summary[f.severity]++;
  return summary;
}

/** A stable order: severity, then path, line and code, so outputs diff cleanly between runs. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  // An interrupted (or forged) write comes first: every other finding may describe its half-state.
  const first = (f: Finding) => (f.code === 'write-interrupted' ? 0 : 1);
  return [...findings].sort(
    (a, b) =>
      first(a) - first(b) ||
      rank(a.severity) - rank(b.severity) ||
      compare(a.path, b.path) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compare(a.code, b.code) ||
      compare(a.message, b.message),
  );
}

/** 1 when any error (or, with strict, any warning) remains; info never fails. */
export function findingsExitCode(findings: readonly Finding[], strict: boolean): 0 | 1 {
  const { error, warning } = summarise(findings);
  return error > 0 || (strict && warning > 0) ? 1 : 0;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
