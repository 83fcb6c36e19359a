import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendLine } from '../../src/hooks/append-line.js';
import type { TranscriptSink } from '../../src/hooks/transcript-records.js';
import type { AuditRecord, HookPolicy } from '../../src/hooks/types.js';

/** Where the hook's transcript reading writes, as the hook wires it: day files in `logDir`. */
export function auditSink(logDir: string, policy: HookPolicy, now: Date): TranscriptSink {
  return {
    logDir,
    policy,
    ctx: { projectDir: '/repo', cwd: '/repo', home: '/home/dev', now },
    append: appendLine,
    logFileFor: (at) => join(logDir, `${at.toISOString().slice(0, 10)}.jsonl`),
    warn: () => {},
  };
}

/** Every record in the day files of `logDir`. */
export function auditRecords(logDir: string): AuditRecord[] {
  return readdirSync(logDir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(logDir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as AuditRecord);
}
