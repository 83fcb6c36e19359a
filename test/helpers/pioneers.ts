import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { git, tempDir } from './gitdir.js';
import { runCli } from './run-cli.js';

export const PIONEER_FIXTURES = fileURLToPath(new URL('../fixtures/pioneers/', import.meta.url));

/** The fixtures, by the repository name a team would clone them under. */
export const FIXTURES = {
  biome: 'biomejs-biome',
  'sentry-javascript': 'getsentry-sentry-javascript',
  playwright: 'microsoft-playwright',
  ruff: 'astral-sh-ruff',
  posthog: 'PostHog-posthog',
} as const;
export type FixtureName = keyof typeof FIXTURES;

/** Git identity for commands that commit (spine new, spine extract), independent of the machine. */
export const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** A pioneer team repo: a fixture's files (symlinks and modes kept) committed in `<tmp>/<name>`. */
export function pioneerRepo(name: FixtureName, parent = tempDir('pioneer-')): string {
  const dir = join(parent, name);
  cpSync(join(PIONEER_FIXTURES, FIXTURES[name]), dir, { recursive: true, verbatimSymlinks: true });
  rmSync(join(dir, 'SOURCE.md'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the team repo');
  return dir;
}

const made = new Map<string, string>();

/**
 * A spine repository made by `spine new` (from the embedded spine), committed on main. The CLI
 * runs once per argument list and test file; later calls get a copy (git history included).
 */
export async function newSpineRepo(args: string[] = []): Promise<string> {
  const key = args.join('\0');
  let template = made.get(key);
  if (!template) {
    const parent = tempDir('spine-new-');
    const result = await runCli(['new', 'acme-spine', '--owners', '@acme/platform', ...args], {
      cwd: parent,
      env: GIT_ENV,
    });
    if (result.code !== 0) throw new Error(`spine new failed: ${result.stderr}`);
    template = join(parent, 'acme-spine');
    made.set(key, template);
  }
  const copy = join(tempDir('spine-copy-'), 'acme-spine');
  cpSync(template, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}
