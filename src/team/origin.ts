import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The origin URL of the repo at `root`, read from its git config without starting git (doctor
 * runs this on every check). Follows a `.git` file (worktrees, submodules) to the shared config.
 * A user or token in the URL is dropped: it must never reach telemetry or facts.
 */
export function readOriginUrl(root: string): string | undefined {
  const config = readConfig(root);
  const url = config && /\[remote "origin"\][^[]*?^\s*url\s*=\s*(.+)$/m.exec(config)?.[1]?.trim();
  return url ? url.replace(/\/\/[^/@]*@/, '//') : undefined;
}

function readConfig(root: string): string | undefined {
  try {
    let gitDir = join(root, '.git');
    if (statSync(gitDir).isFile()) {
      const target = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1]?.trim();
      if (!target) return undefined;
      gitDir = isAbsolute(target) ? target : resolve(root, target);
      try {
        const common = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
        gitDir = isAbsolute(common) ? common : resolve(gitDir, common);
      } catch {
        // not a linked worktree: its own config
      }
    }
    return readFileSync(join(gitDir, 'config'), 'utf8');
  } catch {
    return undefined;
  }
}
