import { CI_WORKFLOW, CLAUDE_MD, SETTINGS_FILE } from './render/desired-state.js';

/**
 * The paths a spine command may ever write, by the kind of repository it writes. Anything a
 * repository holds may have been written by the agent (a lock, a journal, an update record), so
 * every path such a file names is checked here before spine acts on it: nothing in the repo can
 * steer a spine write into git's own directory, personal settings, or a team's source.
 */
export type WriterKind = 'team' | 'spine';

/** Where a spine's managed files live in a team repo (the lock's `files`, update's pending paths). */
const MANAGED_DIRS = [
  '.claude/skills/',
  '.claude/agents/',
  '.claude/commands/',
  '.claude/spine/',
  '.claude/hooks/',
];

/** `spine new` and `spine extract` write a spine repository; every other writer a team repo. */
export function writerKind(command: string): WriterKind {
  return command === 'new' || command === 'extract' ? 'spine' : 'team';
}

/** Why no spine command writes `path` in any repository, or undefined when it may. */
export function forbiddenPath(path: string): string | undefined {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || parts.some((p) => p === '..' || p === '.' || p === ''))
    return 'is not a plain path inside the repository';
  if (parts.some((p) => p.toLowerCase() === '.git')) return "is inside git's own directory";
  if (parts.at(-1)?.toLowerCase() === 'settings.local.json') return 'is personal settings spine never writes';
  return undefined;
}

/** True for a path a spine renders into a team repo as a managed file (skills, agents, hooks…). */
export function isManagedFilePath(path: string): boolean {
  return (
    forbiddenPath(path) === undefined &&
    (path === CI_WORKFLOW || MANAGED_DIRS.some((d) => path.startsWith(d)))
  );
}

/**
 * Why a writer of `kind` may not write `path` (repo-relative, POSIX, as the command names it,
 * before in-repo links are followed), or undefined when it may. A team-repo writer writes its
 * managed files, the settings file, CLAUDE.md, .gitignore and its own records under .spine/.
 */
export function writeRefusal(kind: WriterKind, path: string): string | undefined {
  const forbidden = forbiddenPath(path);
  if (forbidden) return forbidden;
  if (kind === 'spine') return undefined;
  const teamPath =
    isManagedFilePath(path) ||
    path === SETTINGS_FILE ||
    // A launch directory's own settings (docs/monorepos.md): merged exactly like the root's.
    path.endsWith(`/${SETTINGS_FILE}`) ||
    path === CLAUDE_MD ||
    path === '.gitignore' ||
    path.startsWith('.spine/');
  return teamPath ? undefined : 'is not a path spine manages in a team repository';
}

/** A file mode spine may give a file: permission bits only (no set-id, sticky or type bits). */
export function isPlainMode(mode: unknown): mode is number {
  return Number.isInteger(mode) && (mode as number) >= 0 && (mode as number) <= 0o777;
}
