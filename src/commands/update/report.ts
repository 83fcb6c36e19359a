import { staysRemovedByGuardrail } from '../../core/update/locked-removed.js';
import type { PendingConflict } from '../../core/update/types.js';
import type { Output } from '../../output/output.js';
import { formatProblem } from '../../output/problems.js';
import { formatRecovery } from '../../output/recovery.js';
import type { UpdateResult } from './index.js';

/** The human report: changelog, the file table, settings entries, then next steps. */
export function printUpdate(result: UpdateResult, out: Output): void {
  const c = out.color;
  if (result.recovered) out.err(formatRecovery(result.recovered));
  for (const w of result.warnings) out.err(formatProblem(w, c));
  if (result.action !== 'update' && result.recovered?.action === 'rolled-back' && !result.restored?.length) {
    if (result.pending.length === 0 && result.from.version === result.to.version) {
      out.out(
        `${c.bold(`spine update --${result.action}`)}: no update left in progress; at v${result.to.version}. Run "spine update" to start it again.`,
      );
      return;
    }
  }
  if (result.action === 'abort') {
    out.out(
      `${c.bold('spine update --abort')}: restored ${result.restored?.length ?? 0} path(s); back at v${result.from.version}.`,
    );
    return;
  }
  if (result.action === 'continue') {
    if (result.pending.length === 0) {
      out.out(
        `${c.bold('spine update --continue')}: every conflict is settled; now at v${result.to.version}. Commit the result.`,
      );
    } else {
      out.out(`${c.bold('spine update --continue')}: ${result.pending.length} conflict(s) remain:`);
      for (const p of result.pending) out.out(`  ${describePending(p)}`);
      printNextSteps(result.pending, out);
    }
    return;
  }

  out.out(
    `${c.bold('spine update')}: v${result.from.version} → v${result.to.version}` +
      (result.dryRun ? c.yellow(' (dry run: nothing written)') : ''),
  );
  if (result.changelog.length > 0) {
    out.out('');
    for (const section of result.changelog) out.out(section.text);
  }
  out.out('');
  if (result.files.length === 0 && result.settings.length === 0) {
    out.out('Nothing to change.');
  }
  if (result.files.length > 0) {
    const width = Math.max(4, ...result.files.map((r) => r.path.length));
    out.out(c.bold(`${'STATUS'.padEnd(16)} | ${'PATH'.padEnd(width)} | NOTE`));
    for (const row of result.files) {
      const status = row.status === 'conflict' ? c.red(row.status.padEnd(16)) : row.status.padEnd(16);
      out.out(`${status} | ${row.path.padEnd(width)} | ${row.note}`);
    }
  }
  // The root's settings first, then each launch directory's (docs/monorepos.md).
  const files = [...new Set(result.settings.map((r) => r.path))];
  for (const dir of files) {
    const rows = result.settings.filter((r) => r.path === dir);
    out.out('');
    out.out(c.bold(dir === undefined ? '.claude/settings.json' : `${dir}/.claude/settings.json`));
    printSettingsRows(rows, out);
  }
  for (const d of result.diffs ?? []) out.out(`\n${d.diff.trimEnd()}`);
  if (result.pending.length > 0) printNextSteps(result.pending, out);
  else if (!result.dryRun && (result.files.length > 0 || result.settings.length > 0)) {
    out.out('');
    out.out(`Updated to v${result.to.version}. Review with "git diff", then commit.`);
  }
}

function printSettingsRows(rows: UpdateResult['settings'], out: Output): void {
  const c = out.color;
  // Entries kept removed: one line per guardrail, its rules listed under it.
  const removed = staysRemovedByGuardrail(rows);
  for (const row of rows) {
    const group = removed.get(row.id ?? row.key);
    if (group && group.length > 1) {
      if (group[0] !== row) continue;
      const locked = group.some((r) => r.level === 'locked') ? c.yellow(' (locked)') : '';
      out.out(`  = [${row.id}]${locked}  ${group.length} entries removed here; they stay removed`);
      const prefix = /^[^:]*:/.exec(row.key)?.[0] ?? '';
      const shared = prefix && group.every((r) => r.key.startsWith(prefix));
      const items = group.map((r) => (shared ? r.key.slice(prefix.length) : r.key));
      for (const line of wrap(shared ? [`${prefix}`, ...items] : items)) out.out(c.dim(`      ${line}`));
      continue;
    }
    const sign = row.sign === '!' ? c.red('!') : row.sign;
    out.out(`  ${sign} ${row.key}${row.id ? ` [${row.id}]` : ''}  ${row.note}`);
  }
}

function printNextSteps(pending: PendingConflict[], out: Output): void {
  const files = pending.filter((p) => p.kind !== 'setting');
  const settings = pending.filter((p) => p.kind === 'setting');
  out.out('');
  out.out(out.color.bold(`Next steps (${pending.length} conflict(s) to settle):`));
  if (files.some((p) => p.kind === 'text' || p.kind === 'block')) {
    out.out(
      '  - edit the files with conflict markers (<<<<<<< ours … >>>>>>> theirs) and remove the markers',
    );
  }
  if (files.length > 0) out.out('  - or take one side of a file: spine resolve <path> --ours | --theirs');
  if (settings.length > 0) {
    out.out('  - settings conflicts kept your value; take the new one with: spine resolve <key|id> --theirs');
    out.out('    (or keep yours with --ours)');
  }
  out.out('  - then: spine update --continue   (or spine update --abort to put everything back)');
}

export function describePending(p: PendingConflict): string {
  if (p.kind === 'setting')
    return `setting ${p.key}${p.id ? ` [${p.id}]` : ''}${p.path ? ` in ${p.path}` : ''}`;
  const extra = p.regions
    ? ` (${p.regions} region${p.regions === 1 ? '' : 's'})`
    : p.side
      ? ` (new version in ${p.side})`
      : '';
  return `${p.kind} ${p.path}${extra}`;
}

/** Items joined with ", " in lines of about 90 columns. */
function wrap(items: string[]): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [i, item] of items.entries()) {
    const piece = `${item}${i < items.length - 1 && !item.endsWith(':') ? ',' : ''}`;
    if (line && line.length + piece.length > 90) {
      lines.push(line);
      line = '';
    }
    line += line ? ` ${piece}` : piece;
  }
  if (line) lines.push(line);
  return lines;
}
