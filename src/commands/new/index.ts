import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { type NewSpineStart, planNewSpine } from '../../core/new-spine/plan.js';
import { UserError } from '../../errors.js';
import { git } from '../../io/git.js';
import {
  fillTemplate,
  PACKAGE_ROOT,
  packageName,
  readTemplate,
  toolVersion,
} from '../../io/package-files.js';
import { askConfirm, askSelect, askText } from '../../io/prompts.js';
import type { BaseOptions } from '../../options.js';
import type { Output } from '../../output/output.js';
import { SCHEMA_DIR, schemaCommentsAreRelative, withSchemaComment } from '../../spine/schema-comment.js';
import { readSpineDirectory } from '../../spine/sources/directory.js';
import { EMBEDDED_SPINE_DIR } from '../../spine/sources/resolve.js';
import { writeChanges } from '../shared/write-changes.js';

export interface NewOptions extends BaseOptions {
  dir?: string;
  name?: string;
  owners?: string[];
  start?: NewSpineStart;
  release?: boolean;
}

export interface NewResult {
  schemaVersion: 1;
  dir: string;
  name: string;
  version: string;
  owners: string[];
  start: NewSpineStart;
  files: string[];
  commit: string;
  tag?: string;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/;
export const FIRST_VERSION = '0.1.0';
const SPINE_SCHEMAS = ['spine', 'permissions', 'secrets', 'audit', 'glossary', 'champions'];

/** A ready spine repository: files, a first commit on main, optionally the first release tag. */
export async function newSpine(options: NewOptions): Promise<NewResult> {
  const dir = resolve(options.cwd, options.dir ?? '.');
  const shown = options.dir ?? (relative(options.cwd, dir) || '.');
  const existed = existsSync(dir);
  const hadGit = existsSync(join(dir, '.git'));
  const notEmpty = (entries: string[]) =>
    new UserError(
      `not empty (${entries.slice(0, 3).join(', ')}): spine new starts a spine in a new or empty directory`,
      { file: shown },
    );
  const entries = existed ? readdirSync(dir).filter((e) => e !== '.git') : [];
  if (existed) {
    if (!statSync(dir).isDirectory()) throw new UserError('not a directory', { file: shown });
    // What an interrupted `spine new` leaves always has its manifest or its transaction state.
    if (entries.length > 0 && !entries.includes('spine.yaml') && !entries.includes('.spine'))
      throw notEmpty(entries);
  }
  const ask = options.interactive;
  const name =
    options.name ??
    (ask ? await askText('Spine name (kebab-case)', kebab(basename(dir))) : kebab(basename(dir)));
  if (!NAME.test(name)) {
    throw new UserError(`spine name "${name}" must be kebab-case: a-z, 0-9 and -, 2 to 64 characters`, {
      file: '--name',
    });
  }
  const owners =
    options.owners ??
    (ask
      ? (await askText('Owners (handles, space-separated)', '@platform-team')).split(/[\s,]+/).filter(Boolean)
      : ['@platform-team']);
  const start =
    options.start ??
    (ask
      ? await askSelect<NewSpineStart>('Start from', [
          { name: 'the embedded spine (guardrails, skills, glossary)', value: 'embedded' },
          { name: 'nothing (an empty spine)', value: 'empty' },
        ])
      : 'embedded');
  const release =
    options.release ?? (ask ? await askConfirm(`Tag v${FIRST_VERSION} as the first release?`, false) : false);

  // Committing needs an identity: find out before anything is written.
  await git(existed ? dir : options.cwd, ['var', 'GIT_COMMITTER_IDENT']).catch(() => {
    throw new UserError('git has no identity to commit with: set user.name and user.email', { file: shown });
  });

  const values = { NAME: name, OWNERS: owners.join(', '), PACKAGE: packageName(), VERSION: toolVersion() };
  const changes = planNewSpine({
    name,
    owners,
    version: FIRST_VERSION,
    start,
    embedded: start === 'embedded' ? readSpineDirectory(EMBEDDED_SPINE_DIR, 'spine/').files : new Map(),
    withSchemaComment,
    schemas: schemaCommentsAreRelative()
      ? new Map(
          SPINE_SCHEMAS.map((s) => [
            `${SCHEMA_DIR}/${s}.schema.json`,
            readFileSync(join(PACKAGE_ROOT, 'schemas', `${s}.schema.json`)),
          ]),
        )
      : new Map(),
    readme: fillTemplate(readTemplate('new-spine/README.md'), values),
    changelog: (entry) =>
      fillTemplate(readTemplate('new-spine/CHANGELOG.md'), { VERSION: FIRST_VERSION, FIRST_ENTRY: entry }),
    workflow: fillTemplate(readTemplate('new-spine/validate.yml'), values),
  });

  // A directory an interrupted `spine new` left (only files of this plan, no commit yet, or the
  // commit without its tag) is finished, not refused; anything else in it is someone's work.
  if (entries.length > 0) {
    const found = await interruptedNew(dir, changes, name, release);
    if (found === 'other') throw notEmpty(entries);
    if (found !== 'resume') {
      if (found === 'untagged')
        await git(dir, ['tag', '-a', `v${FIRST_VERSION}`, '-m', `${name} ${FIRST_VERSION}`]);
      return result(dir, name, owners, start, changes, release);
    }
  }

  try {
    mkdirSync(dir, { recursive: true });
    await writeChanges(dir, changes, 'new', options.stateDir);
    if (!existsSync(join(dir, '.git'))) await git(dir, ['init', '-q', '-b', 'main']);
    await git(dir, ['add', '-A']);
    await git(dir, ['commit', '-q', '--no-verify', '-m', `Start the ${name} spine`]);
    if (release) await git(dir, ['tag', '-a', `v${FIRST_VERSION}`, '-m', `${name} ${FIRST_VERSION}`]);
  } catch (error) {
    // All or nothing: a spine half made is worse than none.
    if (!existed) rmSync(dir, { recursive: true, force: true });
    else
      for (const entry of readdirSync(dir))
        if (entry !== '.git' || !hadGit) rmSync(join(dir, entry), { recursive: true, force: true });
    throw error;
  }
  return result(dir, name, owners, start, changes, release);
}

async function result(
  dir: string,
  name: string,
  owners: string[],
  start: NewSpineStart,
  changes: { path: string }[],
  release: boolean,
): Promise<NewResult> {
  return {
    schemaVersion: 1,
    dir,
    name,
    version: FIRST_VERSION,
    owners,
    start,
    files: changes.map((c) => c.path),
    commit: await git(dir, ['rev-parse', 'HEAD']),
    tag: release ? `v${FIRST_VERSION}` : undefined,
  };
}

/** Every file under `dir` (outside .git), repository-relative with `/`. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const path = prefix ? `${prefix}/${e.name}` : e.name;
    if (path === '.git') return [];
    return e.isDirectory() ? filesUnder(dir, path) : [path];
  });
}

/**
 * How far an interrupted `spine new` got in `dir`: `resume` (only this plan's files and spine's
 * transaction state, no commit yet), `untagged` / `done` (its one commit, clean, the tag missing
 * or not asked for), or `other` (anything else: not ours to touch).
 */
async function interruptedNew(
  dir: string,
  changes: { path: string }[],
  name: string,
  release: boolean,
): Promise<'resume' | 'untagged' | 'done' | 'other'> {
  const planned = new Set(changes.map((c) => c.path));
  // The plan's files, the transaction's state, and a write's temporary file beside its target.
  const ours = (path: string) =>
    planned.has(path) ||
    path.startsWith('.spine/txn/') ||
    planned.has(path.replace(/\.[0-9a-f]{12}\.tmp$/, ''));
  if (!filesUnder(dir).every(ours)) return 'other';
  if (!existsSync(join(dir, '.git'))) return 'resume';
  const head = await git(dir, ['rev-parse', '--verify', '-q', 'HEAD']).catch(() => '');
  if (!head) return 'resume';
  const subjects = (await git(dir, ['log', '--format=%s'])).split('\n');
  const clean = (await git(dir, ['status', '--porcelain'])) === '';
  if (subjects.length !== 1 || subjects[0] !== `Start the ${name} spine` || !clean) return 'other';
  if (!release) return 'done';
  const tagged = await git(dir, ['tag', '--list', `v${FIRST_VERSION}`]);
  return tagged ? 'done' : 'untagged';
}

function kebab(text: string): string {
  const k = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return k.length >= 2 ? k.slice(0, 64).replace(/-+$/, '') : 'spine';
}

export async function runNew(options: NewOptions, out: Output): Promise<void> {
  const result = await newSpine(options);
  if (out.isJson) return out.json(result);
  const c = out.color;
  out.out(
    `${c.bold('spine new')}: ${result.name} v${result.version} in ${result.dir} (${result.files.length} files, from ${result.start === 'embedded' ? 'the embedded spine' : 'nothing'})`,
  );
  out.out(`  committed ${result.commit.slice(0, 12)} on main${result.tag ? `, tagged ${result.tag}` : ''}`);
  out.out('Next:');
  for (const [command, why] of nextSteps(result, options.cwd))
    out.out(`  ${c.cyan(command)}${why ? `   # ${why}` : ''}`);
}

/** The platform team's first steps after new, as the README's platform block gives them. */
function nextSteps(result: NewResult, cwd: string): [command: string, why?: string][] {
  const shown = relative(cwd, result.dir);
  const tag = `v${result.version}`;
  return [
    ...(shown && shown !== '.' ? [[`cd ${shown}`] as [string]] : []),
    ['git remote add origin <url of an empty repository>', 'where teams will read the spine'],
    ['spine validate'],
    [
      result.tag
        ? `git push origin main ${tag}`
        : `git tag -a ${tag} -m "${result.name} ${result.version}" && git push origin main ${tag}`,
      "a release: teams get the highest vX.Y.Z tag, which must name spine.yaml's version",
    ],
    ['spine extract <pioneer-repo> --into .', 'take what a team already proved, as a branch to review'],
  ];
}
