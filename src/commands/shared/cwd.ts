import { statSync } from 'node:fs';
import { UserError } from '../../errors.js';

/** Every command runs in a directory: a --cwd that is missing or a file is bad input (exit 2). */
export function assertCwd(cwd: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    throw new UserError('no such directory; pass --cwd an existing directory', { file: cwd });
  }
  if (!isDir) throw new UserError('not a directory; pass --cwd a directory', { file: cwd });
}
