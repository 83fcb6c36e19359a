import type { ExtractItem, ItemAction } from '../../core/extract/model.js';

const SECTIONS: { action: ItemAction; title: string }[] = [
  { action: 'take', title: 'Taken into the spine' },
  { action: 'merged', title: 'Merged: the spine already has it' },
  { action: 'conflict', title: 'Conflicts to settle' },
  { action: 'local', title: 'Left with the team' },
  { action: 'declined', title: 'Not ticked' },
];

export interface ReportHeader {
  spine: string;
  pioneers: { source: string; team: string; commit?: string }[];
  branch?: string;
  dryRun: boolean;
}

/** The extraction report as Markdown: each item with its source file and line. */
export function markdownReport(header: ReportHeader, items: ExtractItem[]): string {
  const out: string[] = ['# Extraction report', ''];
  out.push(
    `Spine: ${header.spine}${header.branch ? ` (branch \`${header.branch}\`)` : ''}${header.dryRun ? ' — dry run, nothing written' : ''}`,
  );
  out.push('');
  out.push('Pioneers:');
  for (const p of header.pioneers)
    out.push(`- ${p.team}: ${p.source}${p.commit ? ` @ ${p.commit.slice(0, 12)}` : ''}`);
  out.push('');
  const count = (a: ItemAction) => items.filter((i) => i.action === a).length;
  out.push(
    `Summary: ${count('take')} taken, ${count('merged')} merged, ${count('conflict')} conflicts, ${count('local')} left local` +
      (count('declined') ? `, ${count('declined')} not ticked` : ''),
  );
  const stronger = items.filter((i) => i.stronger && i.action === 'take').length;
  if (stronger)
    out.push(`${stronger} taken item(s) appear in more than one repo: stronger candidates (marked ★).`);
  for (const { action, title } of SECTIONS) {
    const list = items.filter((i) => i.action === action);
    if (list.length === 0) continue;
    out.push('', `## ${title} (${list.length})`, '');
    for (const item of list) {
      const name = item.rule
        ? `${item.rule.effect} \`${item.rule.rule}\`${action === 'take' ? ` as \`${item.name}\`` : ''}`
        : `\`${item.name}\``;
      const where = item.sources
        .map((s) => `${s.team} \`${s.file}${s.line ? `:${s.line}` : ''}\``)
        .join(', ');
      out.push(`- ${item.stronger ? '★ ' : ''}${item.kind} ${name}: ${item.reason} — ${where}`);
    }
  }
  out.push('');
  return out.join('\n');
}
