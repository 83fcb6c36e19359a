import { realpathSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';

/**
 * The directories on a PATH, as the shell searches them: an empty entry is the current directory,
 * a relative one is relative to it. Each entry reached through a link is given twice, as written
 * and resolved: the agent may replace the link or write into its target.
 */
export function pathDirs(path: string | undefined, cwd: string): { entry: string; dir: string }[] {
  if (path === undefined) return [];
  return path.split(delimiter).flatMap((entry) => {
    const dir = resolve(cwd, entry || '.');
    let real = dir;
    try {
      real = realpathSync(dir);
    } catch {
      // A directory that does not exist yet is judged as written: the agent may create it.
    }
    return real === dir
      ? [{ entry: entry || '.', dir }]
      : [
          { entry: entry || '.', dir },
          { entry: entry || '.', dir: real },
        ];
  });
}
