import { resolve } from 'node:path';
import { rolloutBranch } from '../../core/rollout/review-text.js';
import { type BurndownDay, burndown, type StatusState, statusOf } from '../../core/rollout/status.js';
import { ExitError } from '../../errors.js';
import { ForgeError } from '../../io/forge/types.js';
import { writeAtomic } from '../../io/fs.js';
import { lastChanged } from '../../io/rollout-git.js';
import type { Output } from '../../output/output.js';
import { type RolloutOptions, readTargetList } from './index.js';
import { mapLimit } from './map-limit.js';
import { printStatus } from './print.js';
import { previewRepo, type RolloutRow } from './repo.js';

export type StatusOptions = Omit<RolloutOptions, 'publish'> & {
  /** Also write the release page (burndown and every repository) to this file. */
  html?: string;
};

export interface StatusRow extends RolloutRow {
  status: StatusState;
  review?: { url: string; number: number; state: string; draft: boolean };
  /** When the repository reached the release (ISO date), when it has. */
  doneAt?: string;
}

export interface StatusResult {
  schemaVersion: 1;
  to?: string;
  rows: StatusRow[];
  counts: Record<StatusState, number>;
  burndown: BurndownDay[];
}

/**
 * Where each repository stands on the road to a release: done (at the release), its update
 * request open, conflicted (a draft), declined, not started, not onboarded, or unreachable; and
 * how many were done on each day since the first one.
 */
export async function rolloutStatus(options: StatusOptions): Promise<StatusResult> {
  const list = await readTargetList(options);
  const rows = await mapLimit(list.targets, options.concurrency, async (target) => {
    const previewed = await previewRepo(target, { ...options });
    try {
      const { row, access, clone } = previewed;
      let review: StatusRow['review'];
      let mergedAt: string | undefined;
      const version = row.to;
      if (access && version) {
        try {
          const found = await access.client.reviewFor(rolloutBranch(version));
          if (found) {
            review = { url: found.url, number: found.number, state: found.state, draft: found.draft };
            mergedAt = found.mergedAt;
          }
        } catch (error) {
          if (!(error instanceof ForgeError)) throw error;
        }
      }
      const status = statusOf(row.state, review);
      const out: StatusRow = { ...row, status, ...(review ? { review } : {}) };
      if (status === 'done' && clone) {
        const at = mergedAt ?? (await lastChanged(clone.dir, '.spine/lock.json', options.env));
        if (at) out.doneAt = at.slice(0, 10);
      }
      return out;
    } finally {
      previewed.clone?.remove();
    }
  });
  const counts = Object.fromEntries(
    (
      [
        'done',
        'open',
        'conflicted',
        'declined',
        'not-started',
        'not-onboarded',
        'archived',
        'unreachable',
        'failed',
      ] as const
    ).map((s) => [s, rows.filter((r) => r.status === s).length]),
  ) as Record<StatusState, number>;
  const to = rows.find((r) => r.to)?.to;
  return {
    schemaVersion: 1,
    ...(to ? { to } : {}),
    rows,
    counts,
    burndown: burndown(
      rows.map((r) => r.doneAt).filter((d): d is string => Boolean(d)),
      rows.length,
    ),
  };
}

export async function runRolloutStatus(options: StatusOptions, out: Output): Promise<void> {
  const result = await rolloutStatus(options);
  if (options.html) {
    const { renderRolloutHtml } = await import('../../output/html/rollout-page.js');
    writeAtomic(resolve(options.cwd, options.html), renderRolloutHtml(result, new Date().toISOString()));
  }
  if (out.isJson) out.json(result);
  else {
    printStatus(result, out);
    if (options.html) out.out(`HTML page: ${options.html}`);
  }
  if (result.rows.some((r) => r.status === 'failed' || r.status === 'unreachable')) throw new ExitError(1);
}
