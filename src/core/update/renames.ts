export interface Rename {
  from: string;
  to: string;
}

/**
 * Where a rename declared in the spine moves a managed path. Paths may be given as the team
 * repo sees them (`.claude/skills/a/x.md`) or as the spine does (`skills/a/x.md`); a `from`
 * ending in `/` moves a whole directory.
 */
export function renameTarget(path: string, renames: Rename[]): string | undefined {
  for (const r of renames) {
    const from = inRepo(r.from);
    const to = inRepo(r.to);
    if (from.endsWith('/')) {
      if (path.startsWith(from)) return `${to.replace(/\/?$/, '/')}${path.slice(from.length)}`;
    } else if (path === from) {
      return to;
    }
  }
  return undefined;
}

function inRepo(path: string): string {
  return path.startsWith('.claude/') ? path : `.claude/${path.replace(/^\/+/, '')}`;
}
