import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { git, read, snapshot, tempDir } from '../helpers/gitdir.js';
import { GIT_ENV } from '../helpers/pioneers.js';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';

const cli = (args: string[], cwd: string) => runCli(args, { cwd, env: GIT_ENV });

describe('spine new', () => {
  it('creates a spine repository that passes spine validate, committed on main and tagged with --release', async () => {
    const parent = tempDir();
    const made = await cli(
      ['new', 'acme-spine', '--owners', '@acme/platform', '@acme/sec', '--release', '--json'],
      parent,
    );
    expect(made.code, made.stderr).toBe(0);
    const result = JSON.parse(made.stdout);
    expect(result).toMatchObject({ name: 'acme-spine', version: '0.1.0', start: 'embedded', tag: 'v0.1.0' });
    const dir = join(parent, 'acme-spine');

    const validate = await cli(['validate', dir], parent);
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout).toContain('acme-spine v0.1.0 is valid');

    // Every YAML file carries its schema comment, resolvable inside the new repository.
    for (const file of [
      'spine.yaml',
      'guardrails/permissions.yaml',
      'guardrails/secrets.yaml',
      'glossary.yaml',
    ]) {
      const first = read(dir, file).split('\n')[0]!;
      expect(first).toMatch(/^# yaml-language-server: \$schema=/);
      const target = first.replace(/^.*\$schema=/, '');
      if (!/^https?:/.test(target))
        expect(existsSync(join(dir, file, '..', target)), `${file}: ${target}`).toBe(true);
    }
    expect(read(dir, 'spine.yaml')).toMatch(/owners:\n {2}- "@acme\/platform"\n {2}- "@acme\/sec"/);
    expect(read(dir, 'CHANGELOG.md')).toContain('## 0.1.0');
    expect(read(dir, 'README.md')).toContain('# acme-spine');
    expect(read(dir, '.github/workflows/validate.yml')).toMatch(/npx --yes \S+@\S+ validate/);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'branch', '--show-current')).toBe('main');
    expect(git(dir, 'tag', '--list')).toBe('v0.1.0');
    // A spine made by new is a source teams can onboard from right away.
    const team = tempDir();
    git(team, 'init', '-q', '-b', 'main');
    const init = await cli(['init', '--spine', dir, '--yes'], team);
    expect(init.code, init.stderr).toBe(0);
  });

  it("the generated workflow checks out every release tag, so validate's tag check runs in CI", async () => {
    const parent = tempDir();
    expect((await cli(['new', 'acme-spine', '--release'], parent)).code).toBe(0);
    const dir = join(parent, 'acme-spine');
    // A release tag that names another version than its spine.yaml: what CI must catch.
    git(dir, 'tag', '-a', 'v0.2.0', '-m', 'wrong', 'v0.1.0^{}');
    const remote = join(parent, 'remote.git');
    git(parent, 'clone', '-q', '--bare', dir, remote);

    // Check out as actions/checkout does with the workflow's `fetch-depth` (its default is 1:
    // the one commit, no tags).
    const workflow = parse(read(dir, '.github/workflows/validate.yml'));
    const checkout = workflow.jobs.validate.steps.find((s: { uses?: string }) =>
      s.uses?.startsWith('actions/checkout@'),
    );
    const depth = Number(checkout.with?.['fetch-depth'] ?? 1);
    const workspace = join(parent, 'workspace');
    git(
      parent,
      'clone',
      '-q',
      ...(depth > 0 ? ['--depth', String(depth), '--no-tags'] : []),
      `file://${remote}`,
      workspace,
    );

    const validate = await cli(['validate', '--json'], workspace);
    expect(validate.code, validate.stdout).toBe(1);
    expect(JSON.parse(validate.stdout).problems).toContainEqual(
      expect.objectContaining({
        code: 'release-version',
        file: expect.stringContaining('spine.yaml@v0.2.0'),
      }),
    );
  });

  it("prints the platform team's next steps: a remote, validate, the first release tag, extract", async () => {
    const parent = tempDir();
    const made = await cli(['new', 'acme-spine'], parent);
    expect(made.code, made.stderr).toBe(0);
    const steps = made.stdout
      .split('\n')
      .slice(made.stdout.split('\n').indexOf('Next:') + 1)
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter(Boolean);
    expect(steps).toEqual([
      'cd acme-spine',
      'git remote add origin <url of an empty repository>',
      'spine validate',
      'git tag -a v0.1.0 -m "acme-spine 0.1.0" && git push origin main v0.1.0',
      'spine extract <pioneer-repo> --into .',
    ]);
    // The README's platform block gives the same release step for the version new writes.
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain(steps[3]);
  });

  it('--empty makes a spine with no guardrails, skills or terms, still valid', async () => {
    const parent = tempDir();
    const made = await cli(['new', 'bare', '--empty'], parent);
    expect(made.code, made.stderr).toBe(0);
    const dir = join(parent, 'bare');
    expect(existsSync(join(dir, 'skills'))).toBe(false);
    expect(read(dir, 'glossary.yaml')).toContain('terms: []');
    const validate = await cli(['validate', dir], parent);
    expect(validate.code, validate.stdout).toBe(0);
    expect(git(dir, 'tag', '--list')).toBe('');
  });

  it('finishes what an interrupted run left: the commit without its tag; never touches a spine someone changed', async () => {
    const parent = tempDir();
    const made = await cli(['new', 'acme-spine', '--release'], parent);
    expect(made.code, made.stderr).toBe(0);
    const dir = join(parent, 'acme-spine');
    // Killed between the commit and the tag: the rerun tags it.
    git(dir, 'tag', '-d', 'v0.1.0');
    const again = await cli(['new', 'acme-spine', '--release'], parent);
    expect(again.code, again.stderr).toBe(0);
    expect(git(dir, 'tag', '--list')).toBe('v0.1.0');
    expect(git(dir, 'log', '--format=%s')).toBe('Start the acme-spine spine');
    // A spine with work of its own in it is someone's: refused as any non-empty directory.
    writeFileSync(join(dir, 'spine.yaml'), `${read(dir, 'spine.yaml')}# edited\n`);
    const before = snapshot(parent);
    const refused = await cli(['new', 'acme-spine', '--release'], parent);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('acme-spine: not empty')]);
    expect(snapshot(parent)).toEqual(before);
  });

  it.each([
    [
      'a directory that is not empty',
      (dir: string) => writeFileSync(join(dir, 'notes.txt'), 'x'),
      ['new', 'target'],
      'target: not empty',
    ],
    [
      'a name that is not kebab-case',
      () => {},
      ['new', 'target', '--name', 'Acme Spine'],
      '--name: spine name "Acme Spine" must be kebab-case',
    ],
    [
      'both --empty and --from-embedded',
      () => {},
      ['new', 'target', '--empty', '--from-embedded'],
      'one of --from-embedded or --empty',
    ],
  ])('refuses %s: exit 2, one line, nothing written', async (_name, prepare, args, message) => {
    const parent = tempDir();
    mkdirSync(join(parent, 'target'));
    prepare(join(parent, 'target'));
    const before = snapshot(parent);
    const result = await cli(args, parent);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(snapshot(parent)).toEqual(before);
    expect(existsSync(join(parent, 'target', '.git'))).toBe(false);
  });
});
