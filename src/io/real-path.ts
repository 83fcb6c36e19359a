import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';

/** The real path of `path` with its links resolved, or undefined when it cannot be resolved. */
export function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Whether `target` (a real path) is `root` or below it. */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}
