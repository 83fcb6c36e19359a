import { statusWords } from '../../core/rollout/status.js';
import type { Output } from '../../output/output.js';
import type { RolloutResult } from './index.js';
import type { StatusResult } from './status.js';

const PREVIEW_WORDS: Record<string, string> = {
  current: 'already current',
  clean: 'clean update',
  merged: 'update, team edits merged',
  conflicts: 'update with conflicts',
  'not-onboarded': 'not onboarded',
  unreachable: 'unreachable',
  archived: 'archived',
  failed: 'cannot update',
};

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function versions(row: { from?: string; to?: string }): string {
  if (!row.from || !row.to) return '';
  return row.from === row.to ? `v${row.to}` : `v${row.from} → v${row.to}`;
}

/** One line per repository, then what was skipped and the totals. */
export function printRollout(result: RolloutResult, out: Output): void {
  const c = out.color;
  const title =
    result.action === 'preview' ? 'spine rollout (preview: nothing written)' : 'spine rollout --publish';
  out.out(c.bold(title));
  out.out('');
  const rows = [['REPO', 'VERSION', 'WHAT UPDATE DOES', 'NOTE']];
  for (const row of result.rows) {
    let note = row.onboard
      ? `would onboard: ${row.onboard.files} file(s)${row.onboard.findings.length ? `; init finds ${row.onboard.findings.join(', ')}` : ''}`
      : (row.reason ?? (row.conflicts ? `conflicts: ${row.conflicts.join(', ')}` : ''));
    if (row.publish) {
      if ('published' in row.publish) {
        const p = row.publish.published;
        note = `${p.review.created ? 'opened' : 'refreshed'} ${p.review.draft ? 'draft ' : ''}${p.review.url}`;
      } else if ('declined' in row.publish)
        note = `request was closed unmerged, left alone: ${row.publish.declined}`;
      else note = `not published: ${row.publish.failed}`;
    }
    const what = row.onboard ? 'not onboarded: onboarding request' : (PREVIEW_WORDS[row.state] ?? row.state);
    rows.push([row.name, row.onboard ? `→ v${row.onboard.version}` : versions(row), what, note]);
  }
  for (const line of table(rows)) out.out(line);
  for (const d of result.duplicates)
    out.out(c.dim(`${d.origin}: ${d.input} is listed already (${d.first}): skipped`));
  for (const i of result.invalid) out.out(c.yellow(`${i.origin}: ${i.input}: ${i.reason}`));
  out.out('');
  out.out(
    Object.entries(result.counts)
      .map(([state, n]) => `${n} ${PREVIEW_WORDS[state] ?? state}`)
      .join(', '),
  );
  if (
    result.action === 'preview' &&
    result.rows.some((r) => ['clean', 'merged', 'conflicts'].includes(r.state) || r.onboard)
  ) {
    out.out('Run again with --publish to open one update request per repository (conflicts as drafts).');
  }
  if (!result.rows.some((r) => r.onboard) && result.rows.some((r) => r.state === 'not-onboarded'))
    out.out('Repositories without a spine get an onboarding request with --onboard --spine <source>.');
}

export function printStatus(result: StatusResult, out: Output): void {
  const c = out.color;
  const total = result.rows.length;
  out.out(c.bold(`spine rollout status${result.to ? `: v${result.to}` : ''}`));
  out.out(`${result.counts.done} of ${total} repositories done`);
  out.out('');
  const rows = [['REPO', 'STATUS', 'SINCE', 'REQUEST']];
  for (const row of result.rows) {
    rows.push([row.name, statusWords(row.status), row.doneAt ?? '', row.review?.url ?? row.reason ?? '']);
  }
  for (const line of table(rows)) out.out(line);
  if (result.burndown.length > 1) {
    out.out('');
    out.out('Done per day:');
    // Scaled to 40 columns, so a fleet of hundreds still fits a terminal line.
    const width = Math.min(40, total);
    for (const day of result.burndown) {
      const filled = Math.round((day.done / total) * width);
      out.out(`  ${day.date}  ${'█'.repeat(filled)}${'·'.repeat(width - filled)}  ${day.done}/${total}`);
    }
  }
}
