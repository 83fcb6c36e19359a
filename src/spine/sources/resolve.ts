import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LockSource } from '../../core/lock/lock.js';
import { UserError } from '../../errors.js';
import type { SpineTree } from '../tree.js';
import { readSpineDirectory } from './directory.js';

/** The spine shipped inside the package (top-level spine/). */
export const EMBEDDED_SPINE_DIR = fileURLToPath(new URL('../../../spine/', import.meta.url));

export interface SourceRequest {
  /** As the user gave it; undefined means the embedded spine. */
  spec?: string;
  ref?: string;
  cwd: string;
  offline: boolean;
  cacheDir: string;
}

export interface ResolvedSource {
  tree: SpineTree;
  source: LockSource;
}

/** Finds a spine and reads its files: the embedded one, a directory, or (later) git. */
export async function resolveSpineSource(request: SourceRequest): Promise<ResolvedSource> {
  const { spec, cwd } = request;
  if (spec === undefined || spec === 'embedded') {
    return { tree: readSpineDirectory(EMBEDDED_SPINE_DIR, 'spine/'), source: { spec: 'embedded' } };
  }
  const dir = isAbsolute(spec) ? spec : resolve(cwd, spec);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    const label = `${relative(cwd, dir) || '.'}/`;
    return { tree: readSpineDirectory(dir, label), source: { spec } };
  }
  throw new UserError(`unknown spine source "${spec}": not a directory`, { file: spec });
}
