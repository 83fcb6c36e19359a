import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { varTmp } from './gitdir.js';

/**
 * A directory holding `git`, a script that logs each call (its directory, then its arguments) and
 * runs the git of `path`: put it first on PATH to count the git processes a command starts. With
 * `also`, a shell command whose output is logged before each call (`[ -e x ] && echo x`).
 */
export function loggingGit(path: string, also = ''): { dir: string; calls(): string[] } {
  const dir = varTmp('spine-git-calls-');
  const log = join(dir, 'calls');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'git'),
    `#!/bin/sh\n${also ? `{ ${also}; } >> '${log}'\n` : ''}echo "$PWD: $*" >> '${log}'\nPATH='${path}' exec git "$@"\n`,
  );
  chmodSync(join(dir, 'git'), 0o755);
  return { dir, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}
