import type { Spine } from '../spine/model.js';
import { lazyGlobMatcher } from './glob-prefilter.js';

/**
 * Which repository files the spine calls secret: a repo-relative secret glob matches and neither
 * an allowPaths glob (`.env.example`) nor a path the sandbox re-allows (public certificates under
 * `**\/*.pem`) does. Home (`~/`) and absolute (`//`) globs never name a file of the repository.
 */
export function secretFileMatcher(spine: Spine): (path: string) => boolean {
  const inRepo = (glob: string) => !glob.startsWith('~') && !glob.startsWith('//');
  const strip = (glob: string) => glob.replace(/^\.?\//, '');
  const secret = spine.secrets.paths
    .flatMap((p) => p.globs)
    .filter(inRepo)
    .map(strip);
  const allowed = [
    ...spine.secrets.allowPaths,
    ...spine.secrets.sandbox.flatMap((g) => g.settings.allowRead ?? []),
  ]
    .filter(inRepo)
    .map(strip);
  if (secret.length === 0) return () => false;
  // Compiled only for the globs a file of the repository could match: most match none.
  const isSecret = lazyGlobMatcher(secret, { dot: true });
  const isAllowed = lazyGlobMatcher(allowed, { dot: true });
  return (path) => isSecret(path) && !isAllowed(path);
}
