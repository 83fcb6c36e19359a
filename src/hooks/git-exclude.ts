import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Names Claude Code's sandbox masks with `/dev/null` character devices inside the project when
 * they do not exist (the union over the clients we test: 2.1.197 and 2.1.332 — the newer one adds
 * `.claude/loop.md` and `.claude/output-styles`; verified: docs/sandbox.md). Excluding a name an
 * older client does not mask is harmless: a missing path has nothing to hide. git lists them as untracked and
 * `git add -A` refuses them, so a sandboxed agent could not commit. Listing the missing ones in
 * `.git/info/exclude` keeps them out of git; a name that is a real file of the repo is never listed.
 */
export const MASKED_NAMES = [
  '.bash_profile',
  '.bashrc',
  '.gitconfig',
  '.gitmodules',
  '.idea',
  '.mcp.json',
  '.profile',
  '.ripgreprc',
  '.vscode',
  '.zprofile',
  '.zshrc',
  '.claude/launch.json',
  '.claude/loop.md',
  '.claude/output-styles',
  '.claude/routines',
  '.claude/scheduled_tasks.json',
  '.claude/settings.local.json',
  '.claude/workflows',
];

const BEGIN = "# spine: names Claude Code's sandbox masks while they are missing (kept by the spine hook)";
const END = '# end spine';

/** The exclude file with spine's block set to `patterns` (none: block removed); the rest kept. */
export function withSpineBlock(existing: string, patterns: string[]): string {
  const lines = existing.split('\n');
  const start = lines.indexOf(BEGIN);
  const end = start < 0 ? -1 : lines.indexOf(END, start);
  const kept = start < 0 || end < 0 ? lines : [...lines.slice(0, start), ...lines.slice(end + 1)];
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  const block = patterns.length ? [BEGIN, ...patterns, END] : [];
  const all = [...kept, ...block];
  return all.length ? `${all.join('\n')}\n` : '';
}

const missing = (path: string) => {
  try {
    lstatSync(path);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
};

/** The repository root at or above `dir` and where git keeps its shared files (worktrees too). */
function findGit(dir: string): { root: string; common: string } | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const dotGit = join(at, '.git');
    let stat: ReturnType<typeof lstatSync> | undefined;
    try {
      stat = lstatSync(dotGit);
    } catch {}
    if (stat?.isDirectory()) return { root: at, common: dotGit };
    if (stat?.isFile()) {
      const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      if (!m) return undefined;
      const gitDir = resolve(at, m[1]!.trim());
      let common = gitDir;
      try {
        common = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
      } catch {}
      return { root: at, common };
    }
    if (stat) return undefined; // a link or something else named .git: not ours to follow
    if (dirname(at) === at) return undefined;
  }
}

/**
 * Keeps the masked names out of git (SessionStart; the hook runs outside the sandbox). Writes only
 * its own block, by temp file and rename; a link at `info` or `exclude` is reported and left alone.
 */
export function keepMaskedNamesOutOfGit(projectDir: string, warn: (message: string) => void): void {
  const git = findGit(projectDir);
  if (!git) return;
  const prefix = relative(git.root, projectDir).split(sep).join('/');
  if (prefix.startsWith('..') || isAbsolute(prefix)) return;
  const patterns = MASKED_NAMES.filter((name) => missing(join(projectDir, name))).map(
    (name) => `/${prefix ? `${prefix}/` : ''}${name}`,
  );
  setSpineBlock(git.common, patterns, warn);
}

/**
 * Takes spine's block out of the exclude file (spine remove), every other line kept. True when
 * the file changed (with `dryRun`: would change, nothing written).
 */
export function dropMaskedNamesBlock(
  projectDir: string,
  warn: (message: string) => void,
  dryRun = false,
): boolean {
  const git = findGit(projectDir);
  return git ? setSpineBlock(git.common, [], warn, dryRun) : false;
}

/** Writes spine's block of `<common>/info/exclude` by temp file and rename; a link is left alone. */
function setSpineBlock(
  common: string,
  patterns: string[],
  warn: (message: string) => void,
  dryRun = false,
): boolean {
  const info = join(common, 'info');
  const file = join(info, 'exclude');
  try {
    if (missing(info)) {
      if (patterns.length === 0) return false;
      mkdirSync(info);
    }
    if (!lstatSync(info).isDirectory()) {
      warn(`spine: ${info} is not a directory; left alone`);
      return false;
    }
    let existing = '';
    if (!missing(file)) {
      if (!lstatSync(file).isFile()) {
        warn(`spine: ${file} is a link or not a file; left alone`);
        return false;
      }
      const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        existing = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    }
    // No block and none wanted: the team's file stays exactly as it is.
    if (patterns.length === 0 && !existing.split('\n').includes(BEGIN)) return false;
    const next = withSpineBlock(existing, patterns);
    if (next === existing) return false;
    if (dryRun) return true;
    const temp = `${file}.spine-${process.pid}`;
    const fd = openSync(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o644,
    );
    try {
      writeSync(fd, next);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(temp, file);
    } catch (error) {
      unlinkSync(temp);
      throw error;
    }
    return true;
  } catch (error) {
    warn(`spine: could not keep the sandbox's masked names out of git: ${(error as Error).message}`);
    return false;
  }
}
