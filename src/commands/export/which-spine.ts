import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOCK_FILE } from '../../core/render/desired-state.js';
import { UserError } from '../../errors.js';
import { parseLock } from '../../team/parse-team.js';
import type { SpineRequest } from '../shared/read-spine.js';

/** Where the exported spine came from, said on the first line of every export. */
export type SpineOrigin = 'flag' | 'spine-repo' | 'team-lock';

export const ORIGIN_TEXT: Record<SpineOrigin, string> = {
  flag: 'from --spine',
  'spine-repo': 'the spine repository here',
  'team-lock': "this team repo's locked spine",
};

/**
 * The spine an export means: `--spine` when given; else the spine repository it stands in; else
 * the spine a team repo is locked to, at the locked commit. Never a silent fallback to the
 * embedded spine: elsewhere it is bad input.
 */
export async function whichSpine<T extends SpineRequest>(
  options: T,
): Promise<{ request: T; origin: SpineOrigin }> {
  if (options.spine !== undefined) return { request: options, origin: 'flag' };
  for (let dir = options.cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'spine.yaml'))) {
      return { request: { ...options, spine: dir }, origin: 'spine-repo' };
    }
    const lockFile = join(dir, LOCK_FILE);
    if (existsSync(lockFile)) {
      const lock = await parseLock(LOCK_FILE, readFileSync(lockFile));
      const { source } = lock;
      const embedded = source.spec === 'embedded';
      return {
        request: {
          ...options,
          cwd: dir,
          spine: embedded ? undefined : (source.url ?? source.spec),
          ref: options.ref ?? (embedded ? undefined : (source.commit ?? source.ref)),
        },
        origin: 'team-lock',
      };
    }
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  throw new UserError(
    'not inside a spine repository or a team repo onboarded onto one: pass --spine <path|git URL|github:owner/repo> (--spine embedded for the built-in spine)',
  );
}

/** The first line of every export: which spine, which version, and why that one. */
export function exportHeadline(spine: {
  name: string;
  version: string;
  source: string;
  origin: SpineOrigin;
}) {
  return `exporting ${spine.name} v${spine.version} (${ORIGIN_TEXT[spine.origin]}: ${spine.source})`;
}
