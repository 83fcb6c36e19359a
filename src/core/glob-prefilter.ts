import picomatch from 'picomatch';

/** Characters whose meaning the pre-filter does not model: a glob with one is always compiled. */
const UNMODELLED = /[[\]{}()!+@\\]/;

/**
 * A cheap test every path a glob matches passes: its last segment must match the path's name
 * (`*` and `?` within one segment), and each literal directory segment must be one of the
 * path's. Most paths of a repository fail it for every secret glob, so the glob, which costs
 * more to compile than the whole check (picomatch), is compiled only when a path passes.
 * Undefined for a glob it cannot judge (negation, braces, classes, escapes, `.` segments).
 */
export function globPrefilter(glob: string): ((path: string) => boolean) | undefined {
  if (UNMODELLED.test(glob)) return undefined;
  const segments = glob.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  const last = segments.at(-1)!;
  const dirs = segments.slice(0, -1).filter((s) => !s.includes('*') && !s.includes('?'));
  // No regular expression: compiling one per glob cost doctor more than all the paths it tests.
  return (path) => {
    if (path.endsWith('/')) return true;
    const slash = path.lastIndexOf('/');
    if (last !== '**' && !segmentMatch(last, path.slice(slash + 1))) return false;
    if (dirs.length === 0) return true;
    const parts = path.split('/');
    return dirs.every((d) => parts.includes(d));
  };
}

/**
 * Whether one path segment matches a glob segment of literals, `*` (any run) and `?` (one
 * character): the greedy two-pointer walk that remembers only the last `*`, so it never
 * backtracks further than that.
 */
export function segmentMatch(pattern: string, name: string): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (i < name.length) {
    const c = pattern[j];
    if (j < pattern.length && c !== '*' && (c === '?' || c === name[i])) {
      i++;
      j++;
    } else if (c === '*') {
      star = j++;
      resume = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++resume;
    } else return false;
  }
  while (pattern[j] === '*') j++;
  return j === pattern.length;
}

/**
 * `picomatch(globs, options)` that compiles each glob on the first path its pre-filter lets
 * through: the same answers, without paying for globs no path reaches.
 */
export function lazyGlobMatcher(
  globs: string[],
  options: picomatch.PicomatchOptions,
): (path: string) => boolean {
  const matchers = globs.map((glob) => {
    const could = globPrefilter(glob);
    let compiled: ((path: string) => boolean) | undefined;
    return (path: string) => {
      if (could && !could(path)) return false;
      compiled ??= picomatch(glob, options);
      return compiled(path);
    };
  });
  return (path) => matchers.some((matches) => matches(path));
}
