import { type ScanInput, scanForSecrets } from '../../core/secret-scan.js';
import { findNearDuplicates, type NearDuplicate } from '../../core/similarity.js';
import { UserError } from '../../errors.js';
import { askText } from '../../io/prompts.js';
import type { Skill } from '../../spine/model.js';
import type { LocalSkill } from './read-skill.js';

/** A secret refuses the whole contribution before anything leaves the machine. */
export function refuseSecrets(skill: LocalSkill, tokens: ScanInput['tokens'] = []): void {
  const hits = scanForSecrets({ files: skill.files, tokens });
  if (hits.length === 0) return;
  const at = (h: (typeof hits)[number]) => `${skill.dir}/${h.file}:${h.line}:${h.column}`;
  const [first, ...rest] = hits;
  throw new UserError(
    `looks like a secret (${first!.why}, ${first!.id}: ${first!.excerpt}); remove it or use a placeholder — nothing was pushed`,
    { file: `${skill.dir}/${first!.file}`, line: first!.line, column: first!.column },
    rest.map((h) => `${at(h)}: ${h.why} (${h.id}: ${h.excerpt})`),
  );
}

export interface DuplicateDecision {
  nearDuplicates: NearDuplicate[];
}

/**
 * Near-duplicates are named; on a TTY the champion decides, otherwise only --force proceeds,
 * so an unattended run never proposes a second copy of an upstream skill.
 */
export async function checkNearDuplicates(
  skill: LocalSkill,
  upstream: Skill[],
  options: { interactive: boolean; force: boolean },
): Promise<NearDuplicate[]> {
  const found = findNearDuplicates(skill, upstream);
  if (found.length === 0 || options.force) return found;
  const list = found
    .map((d) => `"${d.name}" (${d.reason === 'name' ? 'similar name' : 'similar description'})`)
    .join(', ');
  if (options.interactive) {
    const answer = await askText(
      `The spine already has ${list}. Propose "${skill.name}" as a separate skill anyway? (y/N)`,
      'N',
    );
    if (/^y(es)?$/i.test(answer)) return found;
    throw new UserError('cancelled: nothing was pushed', { file: `${skill.dir}/SKILL.md` });
  }
  throw new UserError(
    `"${skill.name}" looks like the spine's ${list}; improve that skill instead, or rerun with --force to propose it anyway`,
    { file: `${skill.dir}/SKILL.md` },
  );
}
