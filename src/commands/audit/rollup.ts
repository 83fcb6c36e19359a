import { createReadStream, readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  type ActivityRollup,
  type AuditLineLike,
  createActivityRollup,
} from '../../core/report/activity-rollup.js';
import type { DayActivity } from '../../core/report/facts.js';
import { gitTopLevel } from '../../io/git.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { auditDir } from './read-log.js';
import { parseSince } from './since.js';

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;

/**
 * Streams every day file of an audit directory through the rollup, one line at a time, so a
 * large log never sits in memory. Undefined when there is no audit data at all.
 */
export async function rollUpAuditDir(
  dir: string,
  options: {
    knownSkills?: Set<string>;
    sinceDay?: string;
    /** The repo's team zones: lines are also counted per zone ('' for lines in none). */
    zones?: ReadonlySet<string>;
  } = {},
): Promise<
  | {
      days: DayActivity[];
      samples: Record<string, string[]>;
      skipped: number;
      files: number;
      /** Per team zone (the key '' holds lines in no zone); only when zones were given. */
      zones?: Map<string, DayActivity[]>;
    }
  | undefined
> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => DAY_FILE.test(f));
  } catch {
    return undefined;
  }
  if (options.sinceDay) files = files.filter((f) => f.slice(0, 10) >= options.sinceDay!);
  if (files.length === 0) return undefined;
  const rollup = createActivityRollup(options.knownSkills);
  const byZone = options.zones ? zoneRollups(options.zones, options.knownSkills) : undefined;
  for (const file of files.sort()) await rollUpFile(join(dir, file), rollup, byZone?.add);
  return {
    days: rollup.result(),
    samples: rollup.samples(),
    skipped: rollup.skipped,
    files: files.length,
    ...(byZone ? { zones: byZone.result() } : {}),
  };
}

/**
 * One rollup per team zone a line names. The zone is a label the agent could have written (the
 * log is in the repo): a name that is no declared zone counts as no zone.
 */
function zoneRollups(zones: ReadonlySet<string>, knownSkills?: Set<string>) {
  const rollups = new Map<string, ActivityRollup>();
  return {
    add(line: AuditLineLike & { zone?: unknown }) {
      const zone = typeof line.zone === 'string' && zones.has(line.zone) ? line.zone : '';
      let rollup = rollups.get(zone);
      if (!rollup) {
        rollup = createActivityRollup(knownSkills);
        rollups.set(zone, rollup);
      }
      rollup.add(line);
    },
    result: () => new Map([...rollups].map(([zone, r]) => [zone, r.result()])),
  };
}

async function rollUpFile(
  path: string,
  rollup: ActivityRollup,
  alsoAdd?: (line: AuditLineLike) => void,
): Promise<void> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line);
      rollup.add(parsed);
      alsoAdd?.(parsed);
    } catch {
      // A torn or foreign line: counted, never fatal.
      rollup.skipped++;
    }
  }
}

/** The audit directory of a repo: the hook policy's, else .spine/audit. */
export function auditDirOf(root: string): string {
  const dir = auditDir(root);
  return isAbsolute(dir) ? dir : join(root, dir);
}

export interface AuditRollupOptions extends BaseOptions {
  since?: string;
  now?: Date;
}

export interface AuditRollupResult {
  rollupVersion: 1;
  by: 'day';
  since: string | null;
  days: DayActivity[];
  skippedLines: number;
}

/** `spine audit --rollup day`: the daily counts of this machine's audit log, counts only. */
export async function auditRollup(options: AuditRollupOptions): Promise<AuditRollupResult> {
  const since =
    options.since === undefined ? undefined : parseSince(options.since, options.now ?? new Date());
  const root = (await gitTopLevel(options.cwd)) ?? options.cwd;
  const sinceDay = since?.toISOString().slice(0, 10);
  const rolled = await rollUpAuditDir(auditDirOf(root), { sinceDay });
  return {
    rollupVersion: 1,
    by: 'day',
    since: sinceDay ?? null,
    days: rolled?.days ?? [],
    skippedLines: rolled?.skipped ?? 0,
  };
}

export async function runAuditRollup(options: AuditRollupOptions, out: Output): Promise<void> {
  const result = await auditRollup(options);
  if (out.isJson) return out.json(result);
  out.out('date        sessions  tool calls  near-misses  skill uses');
  for (const d of result.days) {
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    out.out(
      `${d.date}  ${String(d.sessions).padStart(8)}  ${String(d.toolCalls).padStart(10)}  ${String(sum(d.nearMisses)).padStart(11)}  ${String(sum(d.skillUses)).padStart(10)}`,
    );
  }
  if (result.skippedLines) out.err(`spine audit: skipped ${result.skippedLines} malformed line(s)`);
}
