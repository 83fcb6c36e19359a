import type { ChalkInstance } from 'chalk';
import { type Finding, type FindingSummary, SEVERITIES, type Severity } from '../../core/findings.js';

export interface HumanReportInput {
  findings: Finding[];
  summary: FindingSummary;
  spine: { name: string; version: string; source: string };
  fixed: { path: string; action: string; note: string }[];
  skipped: { path: string; reason: string }[];
}

const TITLES: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

/** Findings grouped by severity, each with where, what and the fix. */
export function humanReport(
  result: HumanReportInput,
  c: ChalkInstance,
  options: { strict: boolean },
): string[] {
  const lines = [
    `${c.bold('spine doctor')}: ${result.spine.name} v${result.spine.version} (${result.spine.source})`,
  ];
  if (result.fixed.length > 0) {
    lines.push('', c.bold(`Fixed (${result.fixed.length} file(s))`));
    for (const f of result.fixed)
      lines.push(`  ${c.green(f.action === 'create' ? '+' : '~')} ${f.path}  (${f.note})`);
  }
  for (const s of result.skipped) lines.push(`  ${c.yellow('!')} ${s.path}: not fixed: ${s.reason}`);
  const paint: Record<Severity, (t: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  for (const severity of SEVERITIES) {
    const group = result.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push('', paint[severity](c.bold(`${TITLES[severity]} (${group.length})`)));
    for (const f of group) {
      const where = f.line === undefined ? f.path : `${f.path}:${f.line}`;
      lines.push(
        `  ${paint[severity](f.code)}  ${c.dim(where)}`,
        `    ${f.message}`,
        `    ${c.dim('fix:')} ${f.fix}`,
      );
    }
  }
  const { error, warning, info } = result.summary;
  lines.push('');
  if (error + warning + info === 0) lines.push(c.green('No drift: every spine guardrail is in force.'));
  else {
    const verdict =
      error > 0 || (options.strict && warning > 0)
        ? c.red('fix the errors above')
        : warning > 0
          ? c.yellow('drift, no guardrail broken')
          : c.green('guardrails in force');
    lines.push(
      `${error} error(s), ${warning} warning(s), ${info} info: ${verdict}${options.strict ? ' (--strict)' : ''}`,
    );
  }
  return lines;
}
