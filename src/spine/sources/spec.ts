import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { sha256Hex } from '../../core/sha256.js';

/** What a `--spine` value names, once classified. */
export type SourceSpec =
  | { kind: 'embedded' }
  | { kind: 'directory'; dir: string }
  /** A git repository on this disk: read in place, no cache needed. */
  | { kind: 'local-git'; dir: string; url: string }
  /** A remote repository: cloned into the cache and fetched on use. */
  | { kind: 'remote-git'; url: string };

const URL_SCHEME = /^(https?|ssh|git|file):\/\//i;
const SCP_LIKE = /^[\w.-]+@[\w.-]+:(?!\/\/)/;
const GITHUB = /^github:([\w.-]+)\/([\w.-]+?)(?:\.git)?$/;

/** Classifies a source: embedded, a plain directory, a local git repository or a git URL. */
export function classifySpec(spec: string | undefined, cwd: string): SourceSpec | undefined {
  if (spec === undefined || spec === 'embedded') return { kind: 'embedded' };
  const github = GITHUB.exec(spec);
  if (github) return { kind: 'remote-git', url: `https://github.com/${github[1]}/${github[2]}.git` };
  if (URL_SCHEME.test(spec) || SCP_LIKE.test(spec)) return { kind: 'remote-git', url: normaliseUrl(spec) };
  const dir = isAbsolute(spec) ? spec : resolve(cwd, spec);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
  return isGitRepository(dir) ? { kind: 'local-git', dir, url: dir } : { kind: 'directory', dir };
}

/** A work tree whose top is `dir`, or a bare repository; a sub-directory of a repo is a plain directory. */
export function isGitRepository(dir: string): boolean {
  if (existsSync(join(dir, '.git'))) return true;
  return ['HEAD', 'objects', 'refs'].every((name) => existsSync(join(dir, name)));
}

/** One spelling per repository, so the cache is shared: no trailing slash, no doubled `.git`. */
export function normaliseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** `<host-and-path, sanitised>-<hash>`: readable in `ls`, unique per URL. */
export function cacheKey(url: string): string {
  const readable = url
    .replace(URL_SCHEME, '')
    .replace(/^[\w.-]+@/, '')
    .replace(/\.git$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(-60);
  const hash = sha256Hex(url).slice(0, 12);
  return `${readable || 'repo'}-${hash}`;
}
