import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { errorsOf, type Problem } from '../../core/problems.js';
import { ExitError, formatLocation, UserError } from '../../errors.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { loadSpine } from '../../spine/load.js';
import { readSpineDirectory } from '../../spine/sources/directory.js';

export interface ValidateOptions extends BaseOptions {
  /** The spine directory; default: cwd. */
  dir?: string;
}

export interface ValidateResult {
  schemaVersion: 1;
  ok: boolean;
  dir: string;
  spine?: { name: string; version: string };
  problems: Problem[];
}

/** Every check a spine repository's CI needs: the full load pipeline over the directory as it is. */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const dir = resolve(options.cwd, options.dir ?? '.');
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UserError('not a readable directory', { file: options.dir ?? dir });
  const rel = relative(options.cwd, dir);
  const tree = readSpineDirectory(dir, rel ? `${rel}/` : '');
  // Not a spine at all is bad input (exit 2), not an invalid spine (exit 1).
  if (!tree.files.has('spine.yaml')) {
    throw new UserError(
      'not a spine: no spine.yaml here; run spine validate <spine-dir>, or spine new to start one',
      { file: `${rel ? `${rel}/` : ''}spine.yaml` },
    );
  }
  const { spine, problems } = await loadSpine(tree);
  problems.push(...(await releaseProblems(dir, rel ? `${rel}/` : '')));
  problems.sort(byLocation);
  return {
    schemaVersion: 1,
    ok: errorsOf(problems).length === 0,
    dir,
    spine: spine && { name: spine.manifest.name, version: spine.manifest.version },
    problems,
  };
}

export function formatValidateProblem(p: Problem): string {
  return `${formatLocation(p)}: ${p.severity} ${p.code} ${p.message}`;
}

export async function runValidate(options: ValidateOptions, out: Output): Promise<void> {
  const result = await validate(options);
  if (out.isJson) out.json(result);
  else {
    const c = out.color;
    for (const p of result.problems) {
      const line = formatValidateProblem(p);
      out.out(p.severity === 'error' ? c.red(line) : c.yellow(line));
    }
    const errors = errorsOf(result.problems).length;
    const warnings = result.problems.length - errors;
    const name = result.spine ? `${result.spine.name} v${result.spine.version}` : 'spine';
    out.out(
      result.ok
        ? `${c.green('ok')}: ${name} is valid${warnings ? ` (${warnings} warning(s))` : ''}`
        : `${c.red('invalid')}: ${errors} error(s), ${warnings} warning(s)`,
    );
  }
  if (!result.ok) throw new ExitError(1);
}

/** In a git spine, every release tag must hold the version it names (docs/spine-format.md). */
async function releaseProblems(dir: string, label: string): Promise<Problem[]> {
  // Loaded here only: git and execa are most of validate's start-up otherwise.
  const [{ releaseManifests }, { releaseVersionProblem }] = await Promise.all([
    import('../../spine/sources/release-manifests.js'),
    import('../../spine/release-version.js'),
  ]);
  return (await releaseManifests(dir))
    .map(({ tag, text }) => releaseVersionProblem(tag, `${label}spine.yaml@${tag}`, text))
    .filter((p): p is Problem => p !== undefined);
}

function byLocation(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
