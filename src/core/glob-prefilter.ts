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
  const name =
    last === '**'
      ? undefined
      : new RegExp(
          `^${last.replace(/[.*?^$|]/g, (c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : `\\${c}`))}$`,
        );
  const dirs = segments.slice(0, -1).filter((s) => !/[*?]/.test(s));
  return (path) => {
    if (path.endsWith('/')) return true;
    const parts = path.split('/');
    return (name === undefined || name.test(parts.at(-1)!)) && dirs.every((d) => parts.includes(d));
  };
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
