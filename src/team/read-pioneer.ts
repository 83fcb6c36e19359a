import { type Dirent, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Pioneer, PioneerFile } from '../core/extract/model.js';
import { UserError } from '../errors.js';
import { isInside, safeRealpath } from '../io/real-path.js';
import { catBlobs, followLink, parseLsTree } from '../spine/sources/commit-tree.js';
import { runGit } from '../spine/sources/git.js';
import { openGitSource } from '../spine/sources/git-source.js';
import { classifySpec } from '../spine/sources/spec.js';

/** What a pioneer repo holds for Claude Code, before its settings are parsed. */
export type PioneerFiles = Omit<Pioneer, 'settings'> & {
  /** How files are named in messages: `<label><path>`. */
  label: string;
};

export interface PioneerRequest {
  cwd: string;
  offline: boolean;
  cacheDir: string;
  team?: string;
}

/** The files spine extract looks at; everything else in the repo is only listed (git ls-files). */
export function isClaudeFile(path: string): boolean {
  return (
    /^(CLAUDE\.md|AGENTS\.md|\.mcp\.json|package\.json|Cargo\.toml|pyproject\.toml)$/.test(path) ||
    /^\.claude\/(settings\.json|settings\.local\.json|CLAUDE\.md)$/.test(path) ||
    /^\.claude\/(skills|agents|commands)\//.test(path)
  );
}

/** A pioneer: a local git work tree (read as it is) or a git source (its default branch). */
export async function readPioneer(spec: string, request: PioneerRequest): Promise<PioneerFiles> {
  const kind = classifySpec(spec, request.cwd);
  if (!kind || kind.kind === 'embedded' || kind.kind === 'directory') {
    throw new UserError('not a git repository: a pioneer is a team repo (a path to its top or a git URL)', {
      file: spec,
    });
  }
  if (kind.kind === 'local-git') return readWorkTree(spec, kind.dir, request);
  const repo = await openGitSource(kind, request);
  const head = await runGit(repo.gitDir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.exitCode !== 0) throw new UserError('the repository has no commits', { file: spec });
  const commit = head.stdout.toString('utf8').trim();
  const listed = await runGit(repo.gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries = parseLsTree(listed.stdout.toString('utf8')).filter((e) => e.type === 'blob');
  const links = new Map<string, string>();
  const linkEntries = entries.filter((e) => e.mode === '120000');
  const linkBlobs = await catBlobs(
    repo.gitDir,
    linkEntries.map((e) => e.oid),
  );
  for (const e of linkEntries) links.set(e.path, linkBlobs.get(e.oid)!.toString('utf8'));
  const byPath = new Map(entries.filter((e) => e.mode !== '120000').map((e) => [e.path, e]));
  // A symlinked CLAUDE.md or skills folder is read through its target inside the repo.
  const wanted = new Map<string, { oid: string; mode: string }>();
  for (const e of byPath.values()) if (isClaudeFile(e.path)) wanted.set(e.path, e);
  for (const [path, target] of links) {
    const resolved = followLink(path, target, links);
    if (!resolved) continue;
    const exact = byPath.get(resolved);
    if (exact && isClaudeFile(path)) wanted.set(path, exact);
    for (const [p, e] of byPath) {
      const aliased = p.startsWith(`${resolved}/`) ? `${path}${p.slice(resolved.length)}` : undefined;
      if (aliased && isClaudeFile(aliased)) wanted.set(aliased, e);
    }
  }
  const blobs = await catBlobs(repo.gitDir, [...new Set([...wanted.values()].map((e) => e.oid))]);
  const files = new Map<string, PioneerFile>();
  for (const [path, e] of wanted)
    files.set(path, { content: blobs.get(e.oid)!, mode: e.mode === '100755' ? 0o755 : 0o644 });
  const name = basename(kind.url).replace(/\.git$/, '');
  return {
    source: spec,
    label: `${spec}:`,
    team: request.team ?? name,
    files,
    tracked: new Set(entries.map((e) => e.path)),
    ownNames: ownNames(files, name),
    commit,
  };
}

async function readWorkTree(spec: string, dir: string, request: PioneerRequest): Promise<PioneerFiles> {
  const root = realpathSync(dir);
  const listed = await runGit(undefined, ['-C', root, 'ls-files', '-z']);
  if (listed.exitCode !== 0) {
    throw new UserError(`not a readable git repository: ${listed.stderr.trim().split('\n')[0]}`, {
      file: spec,
    });
  }
  const tracked = new Set(listed.stdout.toString('utf8').split('\0').filter(Boolean));
  const head = await runGit(undefined, ['-C', root, 'rev-parse', '--verify', '--quiet', 'HEAD']);
  const files = new Map<string, PioneerFile>();
  // Folders on the current path: a link back into one of them is skipped, not walked forever.
  const walking = new Set<string>();
  const read = (rel: string) => {
    const abs = join(root, rel);
    const real = safeRealpath(abs);
    if (!real || !isInside(root, real)) return;
    const stat = statSync(real);
    if (stat.isDirectory()) {
      if (walking.has(real)) return;
      let entries: Dirent[] = [];
      try {
        entries = readdirSync(real, { withFileTypes: true });
      } catch {
        return;
      }
      walking.add(real);
      for (const entry of entries)
        if (entry.name !== '.git' && entry.name !== 'node_modules') read(`${rel}/${entry.name}`);
      walking.delete(real);
    } else if (stat.isFile() && isClaudeFile(rel)) {
      files.set(rel, { content: readFileSync(real), mode: stat.mode & 0o111 ? 0o755 : 0o644 });
    }
  };
  for (const path of [
    'CLAUDE.md',
    'AGENTS.md',
    '.mcp.json',
    'package.json',
    'Cargo.toml',
    'pyproject.toml',
  ]) {
    if (exists(join(root, path))) read(path);
  }
  for (const path of [
    '.claude/settings.json',
    '.claude/settings.local.json',
    '.claude/CLAUDE.md',
    '.claude/skills',
    '.claude/agents',
    '.claude/commands',
  ]) {
    if (exists(join(root, path))) read(path);
  }
  const name = basename(root);
  return {
    source: spec,
    label: `${relative(request.cwd, root) || '.'}/`,
    team: request.team ?? name,
    files,
    tracked,
    ownNames: ownNames(files, name),
    commit: head.exitCode === 0 ? head.stdout.toString('utf8').trim() : undefined,
  };
}

/** The repo's own names: its directory and the packages it declares (scope dropped). */
function ownNames(files: Map<string, PioneerFile>, dirName: string): string[] {
  const names = new Set([dirName]);
  const text = (p: string) => files.get(p)?.content.toString('utf8');
  try {
    const pkg = text('package.json');
    const name = pkg ? (JSON.parse(pkg) as { name?: unknown }).name : undefined;
    if (typeof name === 'string') names.add(name.replace(/^@[^/]+\//, ''));
  } catch {
    // not our file to judge
  }
  for (const file of ['Cargo.toml', 'pyproject.toml']) {
    const m = /^\s*name\s*=\s*"([^"]+)"/m.exec(text(file) ?? '');
    if (m) names.add(m[1]!);
  }
  return [...names];
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
