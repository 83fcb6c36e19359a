import { join } from 'node:path';
import { contentHash } from '../../core/hash.js';
import type { Lock } from '../../core/lock/lock.js';
import type { InstalledSkill } from '../../core/report/facts.js';
import { readInRepo } from '../../io/transaction/index.js';
import { parseFrontmatter } from '../../spine/frontmatter.js';
import { listSkillFolders, SKILLS_DIR } from '../../team/skill-folders.js';

/**
 * Shared skills come from the lock (hash over their locked files, so an edit does not change it);
 * local skills are the other folders under .claude/skills with a SKILL.md, a symlinked folder
 * counted as the folder it points to when that is in the repo (one out of it is no part of it).
 */
export function installedSkills(root: string, lock: Lock | undefined): InstalledSkill[] {
  const shared = new Map<string, string[]>();
  for (const [path, entry] of Object.entries(lock?.files ?? {})) {
    if (entry.kind !== 'skill' || !entry.owner) continue;
    const list = shared.get(entry.owner) ?? [];
    list.push(`${path} ${entry.hash}`);
    shared.set(entry.owner, list);
  }
  const skills: InstalledSkill[] = [];
  for (const [name, lines] of shared) {
    const meta = frontmatterOf(root, name);
    const contributedBy = meta?.metadata?.['contributed-by'];
    skills.push({
      name,
      hash: contentHash(lines.sort().join('\n')),
      shared: true,
      ...(typeof contributedBy === 'string' ? { contributedBy } : {}),
    });
  }
  for (const { name } of listSkillFolders(root).filter((f) => f.state === 'inside')) {
    if (shared.has(name)) continue;
    const text = readInRepo(root, join(SKILLS_DIR, name, 'SKILL.md'));
    if (!text) continue;
    const description = frontmatterOf(root, name)?.description;
    skills.push({
      name,
      hash: contentHash(text),
      shared: false,
      ...(typeof description === 'string' ? { description: description.slice(0, 300) } : {}),
    });
  }
  return skills.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function frontmatterOf(
  root: string,
  name: string,
): { description?: unknown; metadata?: Record<string, unknown> } | undefined {
  const text = readInRepo(root, join(SKILLS_DIR, name, 'SKILL.md'));
  if (!text) return undefined;
  const data = parseFrontmatter(`${SKILLS_DIR}/${name}/SKILL.md`, text.toString('utf8')).data;
  if (!data) return undefined;
  const metadata = data.metadata && typeof data.metadata === 'object' ? data.metadata : undefined;
  return { description: data.description, metadata: metadata as Record<string, unknown> | undefined };
}
