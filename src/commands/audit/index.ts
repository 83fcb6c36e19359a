import { gitTopLevel } from '../../io/git.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { printAudit } from './print.js';
import { auditDir, readAuditLog } from './read-log.js';
import { parseSince } from './since.js';
import { type AuditSummary, summarise } from './summarise.js';

export interface AuditOptions extends BaseOptions {
  since?: string;
  /** Per-session tables and agent trees after the summary (--sessions, --verbose). */
  sessions?: boolean;
  /** For --since durations; tests pin it. */
  now?: Date;
}

export interface AuditResult extends AuditSummary {
  schemaVersion: 1;
  root: string;
  logDir: string;
  since: string | null;
  files: string[];
  malformedLines: number;
  /** Where the skipped lines are (the first 50). */
  malformed: { file: string; line: number }[];
}

/** Summarises the audit log the hook writes: sessions, calls per agent, near-misses, agent trees. */
export async function audit(options: AuditOptions): Promise<AuditResult> {
  const since =
    options.since === undefined ? undefined : parseSince(options.since, options.now ?? new Date());
  const root = (await gitTopLevel(options.cwd)) ?? options.cwd;
  const dir = auditDir(root);
  const log = readAuditLog(root, dir, since?.toISOString().slice(0, 10));
  const sinceIso = since?.toISOString();
  const records = sinceIso ? log.records.filter((r) => r.ts >= sinceIso) : log.records;
  return {
    schemaVersion: 1,
    root,
    logDir: dir,
    since: sinceIso ?? null,
    files: log.files,
    malformedLines: log.malformed.length,
    malformed: log.malformed.slice(0, 50),
    ...summarise(records),
  };
}

export async function runAudit(options: AuditOptions, out: Output): Promise<void> {
  const result = await audit(options);
  if (out.isJson) return out.json(result);
  for (const line of printAudit(result, out.color, options.sessions)) out.out(line);
  if (result.malformedLines > 0) {
    const first = result.malformed[0]!;
    out.err(
      `spine audit: skipped ${result.malformedLines} malformed line(s), first at ${first.file}:${first.line}`,
    );
  }
}
