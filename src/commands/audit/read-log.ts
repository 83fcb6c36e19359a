import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOOK_POLICY } from '../../core/render/desired-state.js';
import type { AuditRecord } from '../../hooks/types.js';

export const DEFAULT_AUDIT_DIR = '.spine/audit';

export interface AuditLog {
  /** The log directory, relative to the repo root when inside it. */
  dir: string;
  files: string[];
  records: AuditRecord[];
  malformed: { file: string; line: number }[];
}

/** Where the hook writes: the policy's audit dir, else the default. */
export function auditDir(root: string): string {
  const policyFile = join(root, HOOK_POLICY);
  if (!existsSync(policyFile)) return DEFAULT_AUDIT_DIR;
  try {
    const dir = (JSON.parse(readFileSync(policyFile, 'utf8')) as { audit?: { dir?: unknown } }).audit?.dir;
    return typeof dir === 'string' && dir ? dir : DEFAULT_AUDIT_DIR;
  } catch {
    return DEFAULT_AUDIT_DIR;
  }
}

/**
 * Reads every `<YYYY-MM-DD>.jsonl` file from `sinceDay` on. A line that is not a JSON object
 * with `ts` and `event` is skipped and counted: a log cut by a crash must still be readable.
 */
export function readAuditLog(root: string, dir: string, sinceDay?: string): AuditLog {
  const abs = dir.startsWith('/') ? dir : join(root, dir);
  const names = existsSync(abs)
    ? readdirSync(abs)
        .filter((n) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(n) && (!sinceDay || n.slice(0, 10) >= sinceDay))
        .sort()
    : [];
  const log: AuditLog = { dir, files: names.map((n) => `${dir}/${n}`), records: [], malformed: [] };
  for (const name of names) {
    const lines = readFileSync(join(abs, name), 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const record = parseLine(line);
      if (record) log.records.push(record);
      else log.malformed.push({ file: `${dir}/${name}`, line: index + 1 });
    });
  }
  return log;
}

function parseLine(line: string): AuditRecord | undefined {
  try {
    const value = JSON.parse(line) as Partial<AuditRecord> | null;
    if (
      !value ||
      typeof value !== 'object' ||
      typeof value.ts !== 'string' ||
      typeof value.event !== 'string'
    )
      return undefined;
    return {
      ...value,
      session_id: typeof value.session_id === 'string' ? value.session_id : null,
      agent_id: typeof value.agent_id === 'string' ? value.agent_id : null,
      agent_type: typeof value.agent_type === 'string' ? value.agent_type : null,
      tool_name: typeof value.tool_name === 'string' ? value.tool_name : null,
      tool_use_id: typeof value.tool_use_id === 'string' ? value.tool_use_id : null,
    } as AuditRecord;
  } catch {
    return undefined;
  }
}
