import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type Problem, problem } from '../../core/problems.js';
import { UserError } from '../../errors.js';
import { readTarget } from '../../io/transaction/index.js';
import { loadSpine } from '../../spine/load.js';
import { readSpineDirectory } from '../../spine/sources/directory.js';
import type { SpineTree } from '../../spine/tree.js';

export interface LocalSkill {
  name: string;
  description: string;
  /** The skill directory relative to the team repo root, POSIX, e.g. `.claude/skills/x`. */
  dir: string;
  /** Paths relative to the skill directory; a script keeps its x bit in the proposal. */
  files: { path: string; content: Buffer; executable?: true }[];
  /** Warnings left by validation (errors refuse the contribution). */
  warnings: Problem[];
}

/** `<skill>` is a name under .claude/skills/ or a path to a skill directory. */
export function locateSkill(spec: string, root: string, cwd: string): string {
  const byName = join(root, '.claude', 'skills', spec);
  const looksLikePath = spec.includes('/') || spec.includes(sep) || spec.startsWith('.');
  const candidate = looksLikePath || isAbsolute(spec) ? resolve(cwd, spec) : byName;
  if (!existsSync(candidate) || !statSync(candidate).isDirectory()) {
    const shown = relative(root, candidate) || '.';
    const link = linkTarget(candidate);
    const what =
      link === undefined ? 'is not a directory' : `is a symlink to ${link}, which is not a directory`;
    throw new UserError(`no skill "${spec}": ${shown} ${what} (see "spine skill new")`, { file: shown });
  }
  // A skill inside the repo whose directory (or a parent) links out would publish outside files.
  const inRepo = relative(root, candidate);
  if (!inRepo.startsWith('..') && !isAbsolute(inRepo) && readTarget(root, inRepo) === undefined) {
    throw new UserError('refusing to read a skill through a symlink that leads out of the repository', {
      file: inRepo,
    });
  }
  return candidate;
}

function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a skill and runs on it exactly what `spine validate` runs on a spine's skills: the skill
 * is placed alone in a minimal spine and loaded. Errors throw with the team-repo file and line.
 */
export async function readLocalSkill(skillDir: string, root: string): Promise<LocalSkill> {
  const name = basename(skillDir);
  const dir = relative(root, skillDir).split(sep).join('/') || '.';
  // A symlinked skill folder (`.claude/skills/x → ../../skills/x`) is read as its target, and its
  // files may link elsewhere in the repo; never out of it.
  const inRepo = !dir.startsWith('..') && !isAbsolute(dir);
  const read = readSpineDirectory(skillDir, `${dir}/`, inRepo ? root : undefined);
  const files = [...read.files]
    .map(([path, content]) =>
      read.executable.has(path) ? { path, content, executable: true as const } : { path, content },
    )
    .sort((a, b) => a.path.localeCompare(b.path));
  const tree: SpineTree = {
    label: '',
    files: new Map<string, Buffer>([
      ['spine.yaml', Buffer.from('apiVersion: spine/v1\nname: contribution\nversion: 0.0.0\n')],
      ...files.map((f) => [`skills/${name}/${f.path}`, f.content] as const),
    ]),
    executable: new Set([...read.executable].map((path) => `skills/${name}/${path}`)),
    problems: [],
  };
  const loaded = await loadSpine(tree);
  const toTeamPath = (p: Problem): Problem => ({
    ...p,
    file: p.file.startsWith(`skills/${name}/`) ? `${dir}/${p.file.slice(`skills/${name}/`.length)}` : p.file,
  });
  const problems = [...read.problems, ...loaded.problems.map(toTeamPath)];
  if (!files.some((f) => f.path === 'SKILL.md')) {
    problems.unshift(
      problem('skill-layout', 'a skill needs a SKILL.md (exactly that name)', { file: `${dir}/SKILL.md` }),
    );
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const [first, ...rest] = errors;
    throw new UserError(
      `the skill does not validate: ${first!.message}`,
      { file: first!.file, line: first!.line, column: first!.column },
      rest.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`),
    );
  }
  const skill = loaded.spine?.skills.find((s) => s.name === name);
  return {
    name,
    description: skill?.description ?? '',
    dir,
    files,
    warnings: problems.filter((p) => p.severity === 'warning'),
  };
}
