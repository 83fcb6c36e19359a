import { findBlock, withBlock } from '../render/claude-block.js';

/** The gitignore comment init writes above the lines it adds (init/plan.ts). */
export const GITIGNORE_MARK = '# spine: runtime audit log';

/**
 * CLAUDE.md without spine's block: the inverse of `withBlock`. The block goes with the line end
 * after it, and at the end of the file with the blank line init put before it, so a file init
 * appended to comes back byte for byte (one without a final newline comes back with one: the two
 * merge to the same text). Undefined when there is no block.
 */
export function withoutBlock(text: string): string | undefined {
  const span = findBlock(text);
  if (!span) return undefined;
  let before = text.slice(0, span.start);
  const after = text.slice(span.end).replace(/^\r?\n/, '');
  if (after === '') before = before.replace(/(\r?\n)\r?\n$/, '$1');
  return before + after;
}

/**
 * Is this CLAUDE.md init's seed (spine's template, not edited), so that removing the block
 * leaves nothing of the team's? `seed` is the template filled for the team, as init fills it.
 */
export function isUntouchedSeed(text: string, seed: string): boolean {
  const span = findBlock(text);
  if (!span) return false;
  return withoutBlock(text) === withoutBlock(withBlock(undefined, span.body, seed));
}

/**
 * .gitignore without the lines init added (its comment and the line after it), every other byte
 * kept. Undefined when init added none.
 */
export function withoutGitignoreLines(text: string): string | undefined {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.replace(/\r$/, '') === GITIGNORE_MARK);
  if (at < 0) return undefined;
  lines.splice(at, 2);
  return lines.join('\n');
}
