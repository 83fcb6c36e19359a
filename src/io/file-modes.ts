import { chmodSync } from 'node:fs';
import { insideRoot } from './fs.js';

/** Gives files their recorded modes (an executable skill script stays executable). */
export function setModes(root: string, files: { path: string; mode?: number }[]): void {
  for (const file of files) if (file.mode !== undefined) chmodSync(insideRoot(root, file.path), file.mode);
}
