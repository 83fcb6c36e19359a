import picomatch from 'picomatch';

/** Characters that make a glob segment a pattern rather than a literal name (picomatch syntax). */
const PATTERN_CHARS = /[*?[\]{}()!+@\\]/;

/** Per process: init and doctor render the same spine's globs twice (hook policy and settings). */
const verdicts = new Map<string, boolean>();

/**
 * Claude Code cannot make an exception to a deny rule, so a secret glob that also matches an
 * allowed path (`**\/.env.*` vs `.env.example`) gets no static Read/Edit rule: the guard hook,
 * which honours allowPaths, enforces it for every tool instead. Everything else gets both.
 */
export function staticSecretGlobs(globs: string[], allowPaths: string[]): string[] {
  const samples = allowPaths.map((p) => p.replace(/^\*\*\//, 'dir/'));
  return globs.filter((glob) => {
    const key = `${glob}\0${samples.join('\0')}`;
    let matchesAllowed = verdicts.get(key);
    if (matchesAllowed === undefined) {
      matchesAllowed = matchesAny(glob, samples);
      verdicts.set(key, matchesAllowed);
    }
    return !matchesAllowed;
  });
}

/**
 * A glob whose last segment is a literal name matches only a path of that name: most secret globs
 * (`**\/.env.local`, `~/.netrc`) are decided without compiling them, and any other is compiled
 * once for all the paths. Compiling globs cost a start-up more than anything else in rendering.
 */
function matchesAny(glob: string, paths: string[]): boolean {
  const last = glob.slice(glob.lastIndexOf('/') + 1);
  const candidates =
    last !== '' && !PATTERN_CHARS.test(last)
      ? paths.filter((path) => path.slice(path.lastIndexOf('/') + 1) === last)
      : paths;
  if (candidates.length === 0) return false;
  const matches = picomatch(glob, { dot: true });
  return candidates.some((path) => matches(path));
}
