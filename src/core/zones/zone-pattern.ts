/**
 * A zone pattern is a CODEOWNERS pattern (gitignore style): `/apps/web/` from the root, `docs/`
 * any directory of that name, `*.md` any file, `apps/*` the direct children. It is turned into
 * the path-glob form the hook matches (src/hooks/path-glob.ts): a pattern that names a directory
 * also covers everything below it, as in CODEOWNERS.
 */

/** Why a pattern cannot be a zone pattern, or undefined when it can. */
export function zonePatternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'the pattern is empty';
  if (/\s/.test(pattern))
    return `the pattern ${JSON.stringify(pattern)} holds a space (CODEOWNERS patterns cannot)`;
  // CODEOWNERS itself does not support these (GitHub's CODEOWNERS syntax): refused, not guessed.
  if (pattern.startsWith('!'))
    return `the pattern ${JSON.stringify(pattern)} negates (CODEOWNERS has no "!")`;
  if (/[[\]]/.test(pattern))
    return `the pattern ${JSON.stringify(pattern)} has a character range (CODEOWNERS has no [ ])`;
  if (pattern.includes('\\'))
    return `the pattern ${JSON.stringify(pattern)} has an escape (CODEOWNERS has no \\)`;
  if (pattern.startsWith('#')) return `the pattern ${JSON.stringify(pattern)} starts a comment`;
  if (pattern.startsWith('~') || pattern.startsWith('//'))
    return `the pattern ${JSON.stringify(pattern)} is not inside the repository`;
  if (pattern.split('/').some((s) => s === '..' || s === '.'))
    return `the pattern ${JSON.stringify(pattern)} has a "." or ".." part`;
  if (/\*{3,}/.test(pattern)) return `the pattern ${JSON.stringify(pattern)} has "***"`;
  return undefined;
}

/** The hook's glob for a valid zone pattern. */
export function zoneGlob(pattern: string): string {
  const body = pattern.replace(/\/+$/, '') || '/';
  if (body === '/' || body === '*' || body === '**' || body === '/*' || body === '/**') return '**';
  if (body.endsWith('/**') || body.endsWith('/*')) return body;
  return `${body}/**`;
}
