import type { ChalkInstance } from 'chalk';
import { type Finding, type FindingSummary, SEVERITIES, type Severity } from '../../core/findings.js';
import { groupByGuardrail } from './group-findings.js';

export interface HumanReportInput {
  findings: Finding[];
  summary: FindingSummary;
  spine: { name: string; version: string; source: string };
  fixed: { path: string; action: string; note: string }[];
  skipped: { path: string; reason: string }[];
  /** The OS sandbox: whether the spine turns it on, and whether it can run on this machine. */
  machine?: { sandboxed: boolean; ready: boolean };
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
      lines.push(
        `  ${c.green(f.action === 'create' ? '+' : f.action === 'delete' ? '-' : '~')} ${f.path}  (${f.note})`,
      );
  }
  for (const s of result.skipped) lines.push(`  ${c.yellow('!')} ${s.path}: not fixed: ${s.reason}`);
  const paint: Record<Severity, (t: string) => string> = { error: c.red, warning: c.yellow, info: c.cyan };
  for (const severity of SEVERITIES) {
    const group = result.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    const shown = groupByGuardrail(group);
    const count =
      shown.length === group.length ? `${group.length}` : `${shown.length}, covering ${group.length} entries`;
    lines.push('', paint[severity](c.bold(`${TITLES[severity]} (${count})`)));
    for (const { first: f, covers, message } of shown) {
      const where = f.line === undefined || covers.length ? f.path : `${f.path}:${f.line}`;
      lines.push(`  ${paint[severity](f.code)}  ${c.dim(where)}`, `    ${message}`);
      lines.push(...coverLines(covers).map((l) => `      ${c.dim(l)}`));
      lines.push(`    ${c.dim('fix:')} ${f.fix}`);
    }
  }
  const { error, warning, info } = result.summary;
  lines.push('');
  if (error + warning + info === 0) {
    // The repo can be clean while this machine cannot start the sandbox the spine turns on: then
    // the sandbox's guardrails are in the settings but not in force here.
    const sandboxDown = result.machine?.sandboxed && !result.machine.ready;
    lines.push(
      sandboxDown
        ? c.yellow(
            'No drift: every spine guardrail is in the settings; the OS sandbox cannot run on this machine (see below)',
          )
        : c.green('No drift: every spine guardrail is in force.'),
    );
  } else {
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

/** `deny rule "A"`, `deny rule "B"` → `deny rules: A, B`, wrapped to about 100 columns. */
function coverLines(covers: string[]): string[] {
  const byKind = new Map<string, string[]>();
  for (const subject of covers) {
    const m = /^(.*?) "(.*)"$/.exec(subject);
    const kind = m ? `${m[1]}s` : 'entries';
    byKind.set(kind, [...(byKind.get(kind) ?? []), m ? m[2]! : subject]);
  }
  const out: string[] = [];
  for (const [kind, items] of byKind) {
    let line = `${kind}:`;
    for (const [i, item] of items.entries()) {
      const piece = ` ${item}${i < items.length - 1 ? ',' : ''}`;
      if (line.length + piece.length > 94 && line.length > kind.length + 1) {
        out.push(line);
        line = ' ';
      }
      line += piece;
    }
    out.push(line);
  }
  return out;
}
