import { realpathSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { relativePath } from '../io/store-trust.js';
import type { AuditRecord, HookContext } from './types.js';
import { zoneOfRecord } from './zones.js';

/**
 * The repository a session belongs to when Claude Code was started in one of its launch
 * directories (a package of a monorepo, docs/monorepos.md). Each launch directory's settings run
 * the root's hook script, so the root is where that script lives: `<root>/.claude/hooks/`. It
 * counts only when it is the launch directory or above it (found by walking up from the launch
 * directory); otherwise the launch directory is the project, as before. A `.spine/` the agent
 * made inside a package cannot divert the log: the script's own place decides.
 */
export function locateRepo(scriptPath: string, launchDir: string): { root: string; launchDir?: string } {
  const root = dirname(dirname(dirname(scriptPath)));
  const resolved = real(launchDir);
  let dir = resolved;
  for (;;) {
    if (dir === root) {
      const rel = relativePath(root, resolved).split(sep).join('/');
      return rel === '' ? { root } : { root, launchDir: rel };
    }
    const parent = dirname(dir);
    if (parent === dir) return { root: launchDir };
    dir = parent;
  }
}

/** The kernel's answer in one call (node's own realpathSync walks every component with lstat). */
function real(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/**
 * Every record of a session started in a launch directory says which one; in a repo shared by
 * teams, every record says whose zone it is in (docs/monorepos.md).
 */
export function withLaunchDir(
  record: AuditRecord,
  ctx: Pick<HookContext, 'projectDir' | 'launchDir' | 'cwd' | 'zoneOf'>,
): AuditRecord {
  const zone = ctx.zoneOf ? zoneOfRecord(ctx.zoneOf, ctx, record.tool_input) : undefined;
  if (!ctx.launchDir && !zone) return record;
  const { spine_version, ...rest } = record;
  return {
    ...rest,
    ...(ctx.launchDir ? { launch_dir: ctx.launchDir } : {}),
    ...(zone ? { zone } : {}),
    spine_version,
  };
}
