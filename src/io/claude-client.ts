import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import { basename, delimiter, dirname, join } from 'node:path';
import type { InstalledClient } from '../core/client/support.js';

const VERSION = /\b(\d+\.\d+\.\d+)\b/;

/**
 * Finds `claude` on PATH and reads its version without starting a session: from the npm
 * package beside the binary, from the native installer's file name (`versions/2.1.332`), and
 * only then by running `claude --version` (half a second on some builds).
 */
export function probeClient(env: NodeJS.ProcessEnv = process.env): InstalledClient {
  const path = findOnPath('claude', env);
  if (!path) return { found: false };
  const real = realPathOf(path);
  const fromPackage = packageVersion(real);
  if (fromPackage) return { found: true, path, version: fromPackage, versionFrom: 'package' };
  const fromName = /^\d+\.\d+\.\d+$/.exec(basename(real))?.[0];
  if (fromName) return { found: true, path, version: fromName, versionFrom: 'file-name' };
  const run = spawnSync(path, ['--version'], { env, timeout: 5000, encoding: 'utf8' });
  const fromRun = VERSION.exec(run.stdout ?? '')?.[1];
  return fromRun ? { found: true, path, version: fromRun, versionFrom: 'run' } : { found: true, path };
}

/** `<package>/bin/claude.exe` (or `cli.js` in older packages) of `@anthropic-ai/claude-code`. */
function packageVersion(binary: string): string | undefined {
  for (const dir of [dirname(dirname(binary)), dirname(binary)]) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@anthropic-ai/claude-code' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not the package root: try the next candidate.
    }
  }
  return undefined;
}

function findOnPath(program: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, program);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function realPathOf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
