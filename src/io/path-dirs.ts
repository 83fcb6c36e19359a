import { realpathSync } from 'node:fs';
import { basename, delimiter, dirname, resolve } from 'node:path';

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

/**
 * The PATH the person's shell and the client search, from the environment spine runs in. `npm run`
 * and `npm exec` put `node_modules/.bin` directories in front of PATH for the command they start
 * (npm_command names the npm command, npm_lifecycle_event the script): those entries are npm's for
 * this one run, not the person's, so they are left out.
 */
export function personPathDirs(env: NodeJS.ProcessEnv, cwd: string): { entry: string; dir: string }[] {
  const dirs = pathDirs(env.PATH, cwd);
  if (env.npm_command === undefined && env.npm_lifecycle_event === undefined) return dirs;
  return dirs.filter(({ dir }) => !(basename(dir) === '.bin' && basename(dirname(dir)) === 'node_modules'));
}
