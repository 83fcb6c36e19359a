import picomatch from 'picomatch';
import { globPrefilter } from '../glob-prefilter.js';

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
 * Most secret globs (`**\/.env.local`, `**\/*.pem`) cannot match any allowed path by their name
 * alone (globPrefilter) and are decided without compiling them; any other is compiled once for
 * all the paths. Compiling globs cost a start-up more than anything else in rendering.
 */
function matchesAny(glob: string, paths: string[]): boolean {
  const could = globPrefilter(glob);
  const candidates = could ? paths.filter(could) : paths;
  if (candidates.length === 0) return false;
  const matches = picomatch(glob, { dot: true });
  return candidates.some((path) => matches(path));
}
