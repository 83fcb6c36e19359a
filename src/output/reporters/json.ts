import type { Finding, FindingSummary } from '../../core/findings.js';

export interface JsonReportInput {
  findings: Finding[];
  summary: FindingSummary;
  spine: { name: string; version: string; source: string };
  fixed: { path: string; action: string; note: string }[];
  skipped: { path: string; reason: string }[];
  /** Every launch directory and its state (monorepos); absent from older callers. */
  launchDirs?: unknown[];
  skippedLaunchDirs?: unknown[];
}

/** The one versioned JSON document of `doctor --json`; fields only ever get added. */
export function jsonReport(result: JsonReportInput) {
  return {
    schemaVersion: 1 as const,
    spine: result.spine,
    findings: result.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      category: f.category,
      path: f.path,
      message: f.message,
      fix: f.fix,
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.column !== undefined ? { column: f.column } : {}),
      ...(f.guardrail !== undefined ? { guardrail: f.guardrail } : {}),
    })),
    summary: result.summary,
    fixed: result.fixed,
    skipped: result.skipped,
    ...(result.launchDirs ? { launchDirs: result.launchDirs } : {}),
    ...(result.skippedLaunchDirs ? { skippedLaunchDirs: result.skippedLaunchDirs } : {}),
  };
}
