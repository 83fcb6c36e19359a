import picomatch from 'picomatch';

/**
 * Claude Code cannot make an exception to a deny rule, so a secret glob that also matches an
 * allowed path (`**\/.env.*` vs `.env.example`) gets no static Read/Edit rule: the guard hook,
 * which honours allowPaths, enforces it for every tool instead. Everything else gets both.
 */
export function staticSecretGlobs(globs: string[], allowPaths: string[]): string[] {
  const samples = allowPaths.map((p) => p.replace(/^\*\*\//, 'dir/'));
  return globs.filter((glob) => {
    const matches = picomatch(glob, { dot: true });
    return !samples.some((sample) => matches(sample));
  });
}
