import type { Output } from '../../output/output.js';
import { formatRecovery } from '../../output/recovery.js';
import { type RemoveOptions, remove } from './index.js';

export async function runRemove(options: RemoveOptions, out: Output): Promise<void> {
  const result = await remove(options);
  if (out.isJson) return out.json(result);
  const c = out.color;
  if (result.recovered) out.err(formatRecovery(result.recovered));
  for (const warning of result.warnings) out.err(warning);
  const spine = result.spine
    ? `${result.spine.name} v${result.spine.version}`
    : 'finished the interrupted removal';
  out.out(
    `${c.bold('spine remove')}: ${spine}${result.dryRun ? c.yellow(' (dry run: nothing written)') : ''}`,
  );
  for (const change of result.changes)
    out.out(`  ${change.action === 'delete' ? '-' : '~'} ${change.path}  (${change.note})`);
  for (const kept of result.kept) out.out(`  = ${kept.path}  (kept: ${kept.reason})`);
  const verb = result.dryRun ? 'would remove' : 'removed';
  const deleted = result.changes.filter((ch) => ch.action === 'delete').length;
  const edited = result.changes.length - deleted;
  out.out(
    `${verb} ${deleted} file(s) and ${result.entriesRemoved} settings entries, edited ${edited} file(s) the team keeps.` +
      (result.dryRun ? ` Run ${c.cyan('spine remove')} to do it.` : ' Next: commit the result.'),
  );
}
