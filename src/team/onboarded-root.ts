import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOCK_FILE } from '../core/render/desired-state.js';

/**
 * The nearest directory at or above `cwd` whose spine lock can be read: the repository a command
 * run from any subdirectory works on. Undefined when there is none up to the file system's root;
 * a lock that exists but cannot be read (a folder of that name, no permission) throws as reading
 * it does.
 */
export function onboardedRoot(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    try {
      readFileSync(join(dir, LOCK_FILE));
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (dirname(dir) === dir) return undefined;
  }
}
