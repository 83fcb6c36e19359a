import { isAbsolute, resolve } from 'node:path';
import { checkDeadline, tick } from './deadline.js';

/**
 * The OS sandbox hides a secret file in the work tree, not git's object store: `git show
 * HEAD:.env` prints a tracked secret whatever the sandbox says. Git names paths its own way —
 * `<rev>:<path>` from the top of the repository, `./` and `../` from the directory git runs in,
 * `:/path` and `:(top)path` pathspecs from the top, everything after `-C dir` from that directory —
 * so the paths a blob-printing git command names are worked out here the way git does.
 */
export interface GitPath {
  /** The word of the command that names the path. */
  token: string;
  /** Absolute paths it may name: git's reading first, then the other possible tops. */
  paths: string[];
}

/** Subcommands that print file contents from the object store or the index. */
const PRINTS_BLOBS = new Set([
  'show',
  'cat-file',
  'log',
  'whatchanged',
  'diff',
  'diff-tree',
  'diff-index',
  'diff-files',
  'difftool',
  'grep',
  'blame',
  'annotate',
  'archive',
  'format-patch',
  'stash',
]);

/** Global options that take the next word as their value. */
const GLOBAL_WITH_VALUE = new Set([
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--config-env',
  '--exec-path',
]);

/**
 * The paths named by `git <args>` (the words after `git`) if it is a command that prints blobs.
 * `cwd` is where the command runs, `top` the repository's top directory as the hook knows it.
 */
export function gitBlobPaths(args: string[], cwd: string, top: string): GitPath[] {
  const { at, dir, moved } = gitSubcommand(args, cwd);
  if (!PRINTS_BLOBS.has(args[at] ?? '')) return [];
  // After `-C` the top may be another repository's: the named directory is a possible top too.
  const tops = moved ? [top, dir] : [top];
  const patterns = args[at] === 'grep' ? grepPatterns(args, at) : new Set<number>();
  const out: GitPath[] = [];
  for (const [k, word] of args.entries()) {
    checkDeadline();
    if (k <= at || patterns.has(k) || word === '' || word === '--' || word.startsWith('-')) continue;
    const paths = pathsOf(word, dir, tops);
    if (paths.length > 0) out.push({ token: word, paths });
  }
  return out;
}

/** Where the subcommand is in `git <args>`, and the directory git runs in after any `-C`. */
export function gitSubcommand(args: string[], cwd: string): { at: number; dir: string; moved: boolean } {
  let dir = cwd;
  let moved = false;
  let at = 0;
  for (; at < args.length; at++) {
    // A step here resolves a directory that may grow with each `-C`: the clock, not a count.
    checkDeadline();
    const word = args[at]!;
    if (word === '-C' && at + 1 < args.length) {
      dir = resolve(dir, args[++at]!);
      moved = true;
    } else if (GLOBAL_WITH_VALUE.has(word)) at++;
    else if (!word.startsWith('-')) break;
  }
  return { at, dir, moved };
}

/**
 * `git grep TODO -- src`, `git grep -e TODO -e FIXME`: the words that are patterns, not paths.
 * The first word that is not an option is the pattern unless `-e` or `-f` give them.
 */
export function grepPatterns(args: string[], at: number): Set<number> {
  const given = new Set<number>();
  let first = -1;
  let file = false;
  for (let k = at + 1; k < args.length; k++) {
    tick();
    const word = args[k]!;
    if (word === '--') break;
    if (word === '-e' || word === '--regexp') given.add(++k);
    else if (/^(-f|--file)(=|$)/.test(word)) file = true;
    else if (first < 0 && !word.startsWith('-')) first = k;
  }
  if (given.size === 0 && !file && first >= 0) given.add(first);
  return given;
}

function pathsOf(word: string, dir: string, tops: string[]): string[] {
  if (word.startsWith(':')) return magicPaths(word, dir, tops);
  const colon = word.indexOf(':');
  // `<rev>:<path>`; `<url>` and `<rev>:` alone name no file.
  if (colon > 0 && !word.includes('://')) {
    const path = word.slice(colon + 1);
    return path ? treePaths(path, dir, tops) : [];
  }
  return [resolve(dir, word)];
}

/** `:path`, `:0:path` (the index) and the pathspec magic `:/path`, `:(top,glob)path`, `:!path`. */
function magicPaths(word: string, dir: string, tops: string[]): string[] {
  const stage = /^:[0-3]:(.*)$/s.exec(word);
  if (stage) return stage[1] ? treePaths(stage[1], dir, tops) : [];
  const long = /^:\(([^)]*)\)(.*)$/s.exec(word);
  if (long) {
    const magic = long[1]!.split(',').map((m) => m.trim());
    if (magic.includes('exclude')) return [];
    return magic.includes('top') ? fromTops(long[2]!, tops) : [resolve(dir, long[2]!)];
  }
  // `:!x` and `:^x` exclude a path: they name one without printing it.
  if (/^:[!^]/.test(word)) return [];
  if (word.startsWith(':/')) return fromTops(word.slice(2), tops);
  // `:path` as an object name: the index entry, named from the top.
  return treePaths(word.slice(1), dir, tops);
}

/** A path inside a tree: from the top, unless it starts with `./` or `../` (then from `dir`). */
function treePaths(path: string, dir: string, tops: string[]): string[] {
  if (path === '.' || path === '..' || path.startsWith('./') || path.startsWith('../'))
    return [resolve(dir, path)];
  return isAbsolute(path) ? [resolve(path)] : fromTops(path, tops);
}

function fromTops(path: string, tops: string[]): string[] {
  return tops.map((t) => resolve(t, path.replace(/^\/+/, '')));
}
