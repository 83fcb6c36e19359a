import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HookPolicy } from './types.js';

/**
 * The OS sandbox can only open a writable path that exists (verified, client 2.1.197: with
 * `allowWrite: ["~/.npm"]` and no ~/.npm, npm ci fails with ENOENT on ~/.npm/_cacache). The hook
 * runs outside the sandbox, before each Bash call, so it creates the enabled toolchains' cache
 * directories that are missing: empty directories under the home directory, nothing else.
 */
export function ensureToolchainDirs(policy: HookPolicy, home: string, warn: (message: string) => void): void {
  const dirs = policy.sandbox?.toolchainDirs;
  if (!dirs || !home) return;
  for (const dir of dirs) {
    if (typeof dir !== 'string' || !dir.startsWith('~/') || dir.split('/').includes('..')) continue;
    // resolve, not join: the same file (a relative home resolves against the working directory
    // either way), without compiling path.join and path.normalize at every tool call.
    const path = resolve(home, dir.slice(2));
    if (existsSync(path)) continue;
    try {
      mkdirSync(path, { recursive: true });
    } catch (error) {
      warn(`spine: could not create the toolchain cache ${dir}: ${(error as Error).message}`);
    }
  }
}
