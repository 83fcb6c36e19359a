import { LOCK_FILE } from '../../core/render/desired-state.js';
import type { DoctorSummary } from '../../core/report/facts.js';
import type { BaseOptions } from '../../options.js';
import { doctor } from '../doctor/index.js';
import { lastTouchedAll } from './git-facts.js';

const MAX_DATED_FINDINGS = 20;

export function emptyDoctorSummary(): DoctorSummary {
  return { available: false, bySeverity: { error: 0, warning: 0, info: 0 }, byCode: {}, findings: [] };
}

/** Doctor's findings as counts by severity and code, plus the open errors and warnings with their age. */
export async function summariseDoctor(
  base: BaseOptions,
  root: string,
  options: { offline: boolean; today: string; lockTouched?: string },
): Promise<DoctorSummary> {
  const { offline, today } = options;
  // Bad input (an invalid lock, an unreachable spine) propagates: the caller decides what it costs.
  const result = await doctor({ ...base, cwd: root, json: true, strict: false, fix: false, offline, today });
  const summary = emptyDoctorSummary();
  summary.available = true;
  summary.bySeverity = { ...result.summary };
  const open = result.findings
    .filter((f): f is typeof f & { severity: 'error' | 'warning' } => f.severity !== 'info')
    .slice(0, MAX_DATED_FINDINGS);
  // The lock's own date is known from its history; every other path in one git log.
  const dates = await lastTouchedAll(
    root,
    open.flatMap((f) => (f.path && !(f.path === LOCK_FILE && options.lockTouched) ? [f.path] : [])),
  );
  for (const f of result.findings) summary.byCode[f.code] = (summary.byCode[f.code] ?? 0) + 1;
  for (const f of open) {
    // The last commit touching the path: a finding is at least as old as that, if committed.
    const since =
      f.path === LOCK_FILE && options.lockTouched
        ? options.lockTouched
        : f.path
          ? dates.get(f.path)
          : undefined;
    summary.findings.push({
      code: f.code,
      severity: f.severity,
      ...(f.path ? { path: f.path } : {}),
      ...(since ? { since } : {}),
    });
  }
  return summary;
}
