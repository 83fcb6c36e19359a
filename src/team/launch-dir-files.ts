import { statSync } from 'node:fs';
import type { Lock } from '../core/lock/lock.js';
import { forbiddenPath } from '../core/managed-paths.js';
import { type Problem, problem } from '../core/problems.js';
import { LOCK_FILE, SETTINGS_FILE } from '../core/render/desired-state.js';
import type { LaunchDirNow } from '../core/update/plan-launch-dirs.js';
import { UserError } from '../errors.js';
import { readInRepo, resolveInside } from '../io/transaction/index.js';
import { parseSettingsFile, throwOnErrors } from './parse-team.js';

/** Where a launch directory stands on disk: a directory, gone, or a link out of the repository. */
export function launchDirKind(root: string, path: string): 'dir' | 'gone' | 'outside' {
  const found = resolveInside(root, path);
  if ('outsideVia' in found) return 'outside';
  try {
    return statSync(found.path).isDirectory() ? 'dir' : 'gone';
  } catch {
    return 'gone';
  }
}

/**
 * The launch directories the lock records, each with its settings as the client would read them.
 * The lock is in the repository (untrusted): a path that is not plain is refused, naming it. A
 * settings file the client would drop is refused as at the root, naming the file; a directory
 * that became a link out of the repository is left alone and named.
 */
export async function readLockedLaunchDirs(
  root: string,
  lock: Lock,
): Promise<{ dirs: LaunchDirNow[]; warnings: Problem[] }> {
  const dirs: LaunchDirNow[] = [];
  const warnings: Problem[] = [];
  for (const path of Object.keys(lock.launchDirs ?? {}).sort()) {
    const refusal = forbiddenPath(path);
    if (refusal || path.split('/').includes('.claude') || path.split('/').includes('.spine'))
      throw new UserError(`invalid lock: launch directory "${path}" ${refusal ?? 'is spine state'}`, {
        file: LOCK_FILE,
      });
    const kind = launchDirKind(root, path);
    if (kind === 'outside') {
      warnings.push(
        problem(
          'launch-dir-outside',
          `launch directory ${path} is a symbolic link out of the repository: skipped`,
          { file: path },
          'warning',
        ),
      );
      dirs.push({ path, exists: false, text: undefined });
      continue;
    }
    const file = `${path}/${SETTINGS_FILE}`;
    const content = kind === 'dir' ? readInRepo(root, file) : undefined;
    if (content) warnings.push(...throwOnErrors((await parseSettingsFile(file, content)).problems));
    dirs.push({ path, exists: kind === 'dir', text: content?.toString('utf8') });
  }
  return { dirs, warnings };
}
