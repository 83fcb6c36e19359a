import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockScript, docBlocks } from '../helpers/doc-blocks.js';
import { git, varTmp, writeTree } from '../helpers/gitdir.js';
import { BIN, REPO_ROOT, TEST_PATH } from '../helpers/run-cli.js';

/**
 * The platform team's path, run as the docs write it: every ```sh block marked
 * `<!-- doc-test: <dir> -->` in order, each in its directory of a fresh working directory that
 * holds a pioneer team repo (`payments`) and a team repo to onboard (`checkout`). The spine's
 * remote (`git@github.com:acme/spine.git`, `github:acme/spine`) is a local bare repository,
 * reached through git's `insteadOf`; `spine` on PATH is this build.
 */
interface World {
  work: string;
  remote: string;
  env: Record<string, string>;
}

async function makeWorld(): Promise<World> {
  // Under /var/tmp: its bin/ goes on PATH, and doctor reports a PATH entry the sandbox lets the
  // agent write (sandbox-writes-path), as /tmp is.
  const root = varTmp('doc-path-');
  const work = join(root, 'work');
  const remotes = join(root, 'remotes');
  const remote = join(remotes, 'acme', 'spine.git');
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'home'), { recursive: true });
  mkdirSync(remote, { recursive: true });
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  writeFileSync(join(root, 'bin', 'spine'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(root, 'bin', 'spine'), 0o755);
  writeFileSync(
    join(root, 'gitconfig'),
    [
      '[user]',
      '  name = Pat Platform',
      '  email = pat@example.com',
      '[init]',
      '  defaultBranch = main',
      '[advice]',
      '  detachedHead = false',
      `[url "file://${remotes}/"]`,
      '  insteadOf = git@github.com:',
      '  insteadOf = https://github.com/',
      '',
    ].join('\n'),
  );
  const env: Record<string, string> = {
    PATH: `${join(root, 'bin')}:${TEST_PATH}`,
    HOME: join(root, 'home'),
    XDG_CACHE_HOME: join(root, 'home', '.cache'),
    XDG_STATE_HOME: join(root, 'home', '.local', 'state'),
    XDG_CONFIG_HOME: join(root, 'home', '.config'),
    GIT_CONFIG_GLOBAL: join(root, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    CI: '1',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
  };

  const payments = join(work, 'payments');
  mkdirSync(payments, { recursive: true });
  writeTree(payments, {
    '.claude/settings.json': '{\n  "permissions": { "deny": ["Bash(psql --host prod:*)"] }\n}\n',
    '.claude/skills/deploy-checklist/SKILL.md':
      '---\nname: deploy-checklist\ndescription: Walks through the checks to run before a production deploy.\n---\n\n# Deploy checklist\n\n1. Run the tests.\n',
    'CLAUDE.md': '# Payments\n\n**Ledger** — The append-only record of every payment event we store.\n',
  });
  const checkout = join(work, 'checkout');
  writeTree(checkout, { 'README.md': '# checkout\n' });
  for (const repo of [payments, checkout]) {
    await run(env, repo, 'git init -q -b main && git add -A && git commit -q -m "the team repo"');
  }
  return { work, remote, env };
}

/** bash -c, not blocking the event loop, so both documents' walks run side by side. */
function run(
  env: Record<string, string>,
  cwd: string,
  script: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs every marked block of a document in order; the first failing line fails the test. */
async function walk(world: World, doc: string): Promise<string> {
  const blocks = docBlocks(join(REPO_ROOT, doc), doc);
  expect(blocks.length, `${doc} marks no doc-test blocks`).toBeGreaterThan(0);
  let transcript = '';
  for (const block of blocks) {
    const result = await run(world.env, join(world.work, block.dir), blockScript(block, doc));
    transcript += `$ # ${block.at} (in ${block.dir})\n${result.stdout}${result.stderr}`;
    expect(result.status, `${block.at}, run in ${block.dir}/:\n${transcript}`).toBe(0);
  }
  return transcript;
}

const inWork = async (world: World, dir: string, ...args: string[]) =>
  (await run(world.env, join(world.work, dir), `git ${args.join(' ')}`)).stdout.trim();

describe.concurrent('the platform path, as the docs write it', () => {
  it('README: new → validate → tag → push → export → init a team → extract → release again → update', async () => {
    const world = await makeWorld();
    const transcript = await walk(world, 'README.md');

    expect(git(world.remote, 'tag', '--list')).toBe('v0.1.0\nv0.2.0');
    expect(git(world.remote, 'show', 'v0.2.0:spine.yaml')).toMatch(/^version: 0\.2\.0$/m);
    // Export read the spine repository it stood in, not the embedded spine.
    expect(transcript).toContain('exporting acme-spine v0.1.0');
    const managed = JSON.parse(readFileSync(join(world.work, 'managed-settings.json'), 'utf8'));
    expect(managed.permissions.deny.length).toBeGreaterThan(0);
    // The spine repository is back on main, clean; the proposal was merged into the release.
    expect(await inWork(world, 'acme-spine', 'branch', '--show-current')).toBe('main');
    expect(await inWork(world, 'acme-spine', 'status', '--porcelain')).toBe('');
    // The team moved to the second release and has what the pioneer proved.
    const lock = JSON.parse(readFileSync(join(world.work, 'checkout', '.spine/lock.json'), 'utf8'));
    expect(lock.spine).toMatchObject({ version: '0.2.0' });
    expect(readFileSync(join(world.work, 'checkout', '.claude/settings.json'), 'utf8')).toContain(
      'Bash(psql --host prod:*)',
    );
    expect(await inWork(world, 'checkout', 'status', '--porcelain')).toBe('');
  }, 150_000);

  it('docs/platform-team.md: set up, extract from a pioneer, validate, release, a team onboards', async () => {
    const world = await makeWorld();
    await walk(world, 'docs/platform-team.md');

    expect(readFileSync(join(world.work, 'extraction.md'), 'utf8')).toContain(
      'guardrail deny `Bash(psql --host prod:*)`',
    );

    expect(git(world.remote, 'tag', '--list')).toBe('v0.1.0\nv0.2.0');
    expect(await inWork(world, 'acme-spine', 'branch', '--show-current')).toBe('main');
    const lock = JSON.parse(readFileSync(join(world.work, 'checkout', '.spine/lock.json'), 'utf8'));
    expect(lock.spine).toMatchObject({ version: '0.2.0' });
  }, 150_000);
});
