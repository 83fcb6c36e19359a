import type { DocChecks } from '../../core/extract/docs.js';
import { scanForSecrets, type TokenRule } from '../../core/secret-scan.js';
import { parseFrontmatter } from '../../spine/frontmatter.js';
import { checkSkill } from '../../spine/skill-rules.js';

/** The spine's own checks, handed to the pure classifier. */
export function docChecks(tokens: TokenRule[]): DocChecks {
  return {
    skillProblems: (dir, content) =>
      checkSkill(dir, `skills/${dir}/SKILL.md`, content)
        .problems.filter((p) => p.severity === 'error')
        .map((p) => p.message),
    frontmatter: (content) => parseFrontmatter('', content.toString('utf8')).data,
    secretIn: (files) => {
      const hit = scanForSecrets({ files, tokens })[0];
      return hit && `${hit.file}:${hit.line}, ${hit.id}`;
    },
  };
}
