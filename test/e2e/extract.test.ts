import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtractItem } from '../../src/core/extract/model.js';
import { git, gitdir, read, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { type FixtureName, GIT_ENV, newSpineRepo, pioneerRepo } from '../helpers/pioneers.js';
import { runCli } from '../helpers/run-cli.js';

const cli = (args: string[], cwd: string) => runCli(args, { cwd, env: GIT_ENV });

async function extractJson(pioneers: string[], spine: string, extra: string[] = []) {
  const result = await cli(['extract', ...pioneers, '--into', spine, '--json', ...extra], tempDir());
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as {
    branch?: string;
    commit?: string;
    checkedOut?: string;
    items: ExtractItem[];
    changes: { path: string; action: string; mode: string }[];
    summary: Record<string, number>;
  };
}

const named = (items: ExtractItem[], kind: string, action: string) =>
  items
    .filter((i) => i.kind === kind && i.action === action)
    .map((i) => i.name)
    .sort();

/** What a person checked by reading each fixture: what is shared, what stays with the team and why. */
const EXPECTED: Record<
  FixtureName,
  { skills: string[]; commands: string[]; check: (items: ExtractItem[]) => void }
> = {
  biome: {
    skills: ['biome-code-review', 'changeset'],
    commands: [],
    check: (items) => {
      // Its two deny rules are about its own CLI binary: they stay with the team.
      const deny = items.filter((i) => i.rule?.effect === 'deny');
      expect(deny.map((i) => [i.rule!.rule, i.action])).toEqual([
        ['Bash(cargo biome-cli-dev:*)', 'local'],
        ['Bash(cargo biome-cli:*)', 'local'],
      ]);
      expect(deny[0]!.reason).toContain('"biome"');
      expect(deny[0]!.sources).toEqual([{ team: 'biome', file: '.claude/settings.json', line: 16 }]);
      const personal = items.filter((i) => i.sources[0]!.file === '.claude/settings.local.json');
      expect(personal).toHaveLength(3);
      expect(personal.every((i) => i.action === 'local' && i.reason.startsWith('personal settings'))).toBe(
        true,
      );
    },
  },
  'sentry-javascript': {
    skills: ['e2e'],
    commands: [],
    check: (items) => {
      // Read through the .claude/skills symlink; a skill linking to the repo's docs stays local.
      expect(items.find((i) => i.name === 'add-cdn-bundle')).toMatchObject({
        action: 'local',
        reason: expect.stringContaining('../../../docs/adding-cdn-bundle.md'),
      });
      expect(items.find((i) => i.name === 'env')).toMatchObject({ kind: 'setting', action: 'local' });
      expect(items.filter((i) => i.kind === 'guardrail').every((i) => i.action === 'local')).toBe(true);
    },
  },
  playwright: {
    skills: ['playwright-devops'],
    commands: [],
    check: (items) => {
      expect(items.find((i) => i.name === 'playwright-triage')).toMatchObject({
        action: 'local',
        reason: expect.stringContaining('../playwright-dev/'),
      });
    },
  },
  ruff: {
    skills: [],
    commands: [],
    check: (items) => {
      expect(items.find((i) => i.kind === 'hook')).toMatchObject({
        action: 'local',
        reason: expect.stringContaining('.claude/hooks/session-start.sh'),
        sources: [{ team: 'ruff', file: '.claude/settings.json', line: 20 }],
      });
      expect(items.filter((i) => i.kind === 'setting').map((i) => i.name)).toEqual([
        'enabledPlugins',
        'extraKnownMarketplaces',
      ]);
      const home = items.find((i) => i.rule?.rule === 'Read(//home/micha/git/TypeScript/**)')!;
      expect(home).toMatchObject({ action: 'local', reason: expect.stringContaining('personal settings') });
    },
  },
  posthog: {
    skills: [],
    commands: ['create-pr'],
    check: (items) => {
      const hooks = items.filter((i) => i.kind === 'hook');
      expect(hooks.map((i) => i.sources[0]!.line)).toEqual([9, 18, 29, 38]);
      expect(hooks[0]!.reason).toContain('bin/setup-claude');
      expect(hooks[3]!.reason).toContain('"posthog"');
    },
  },
};

describe('spine extract from real pioneer repos', () => {
  it.each(Object.keys(EXPECTED) as FixtureName[])(
    '%s: the report classifies it as checked by hand, the change is a branch and passes spine validate',
    async (name) => {
      const spine = await newSpineRepo();
      const main = git(spine, 'rev-parse', 'main');
      const pioneer = pioneerRepo(name);
      const pioneerBefore = snapshot(pioneer);
      const result = await extractJson([pioneer], spine);
      const expected = EXPECTED[name];
      expect(named(result.items, 'skill', 'take')).toEqual(expected.skills);
      expect(named(result.items, 'command', 'take')).toEqual(expected.commands);
      expected.check(result.items);
      for (const item of result.items) expect(item.sources.length, item.name).toBeGreaterThan(0);

      expect(git(spine, 'rev-parse', 'main')).toBe(main);
      expect(snapshot(pioneer)).toEqual(pioneerBefore);
      if (result.changes.length === 0) {
        expect(result.branch).toBeUndefined();
        return;
      }
      expect(result.branch).toMatch(/^spine-extract\//);
      // The work tree stays on the branch it was on; the proposal is on its own branch.
      expect(git(spine, 'branch', '--show-current')).toBe('main');
      expect(git(spine, 'status', '--porcelain')).toBe('');
      git(spine, 'checkout', '-q', result.branch!);
      const validate = await cli(['validate', spine, '--json'], tempDir());
      expect(validate.code, validate.stdout).toBe(0);
      for (const skill of expected.skills) {
        expect(read(spine, `skills/${skill}/SKILL.md`)).toContain(`contributed-by: ${name}`);
      }
    },
  );

  it('a pioneer term the spine glossary clashes with is a conflict in the report; the rest is written', async () => {
    const spine = await newSpineRepo();
    const pioneer = gitdir(
      {
        'CLAUDE.md': [
          '# Payments',
          '',
          '## Glossary',
          '',
          '- **Golden path** — The paved road every service follows from commit to production.',
          '- **Shared base** — The base container image every service in this repo builds on.',
          '- **Ledger** — The append-only record of every payment event we store.',
          '',
        ].join('\n'),
        '.claude/settings.json': '{\n  "permissions": { "deny": ["Bash(psql --host prod:*)"] }\n}\n',
      },
      'payments-',
    );
    const report = join(tempDir(), 'extraction.md');
    const result = await extractJson([pioneer], spine, ['--team', 'payments', '--report', report]);
    const terms = result.items.filter((i) => i.kind === 'term');
    expect(terms.map((t) => [t.name, t.action, t.sources[0]!.line])).toEqual([
      ['Golden path', 'conflict', 5],
      ['Shared base', 'conflict', 6],
      ['Ledger', 'take', 7],
    ]);
    expect(result.summary).toMatchObject({ conflict: 2 });
    expect(result).toMatchObject({ branch: 'spine-extract/payments', checkedOut: 'main' });
    const glossary = git(spine, 'show', `${result.branch}:glossary.yaml`);
    expect(glossary).toContain('term: Ledger');
    expect(glossary).not.toMatch(/term: (Golden path|Shared base)/);
    expect(git(spine, 'show', `${result.branch}:guardrails/permissions.yaml`)).toContain(
      'Bash(psql --host prod:*)',
    );
    const markdown = readFileSync(report, 'utf8');
    expect(markdown).toContain('## Conflicts to settle (2)');
    expect(markdown).toMatch(
      /- term `Golden path`: the spine glossary says to avoid "Golden path" \(say "spine"\).* — payments `CLAUDE.md:5`/,
    );
    git(spine, 'checkout', '-q', result.branch!);
    const validate = await cli(['validate', spine], tempDir());
    expect(validate.code, validate.stdout).toBe(0);
  });

  it('reads a pioneer from a git URL like a local clone: symlinked skills folder, CLAUDE.md link, modes', async () => {
    const spine = await newSpineRepo();
    const local = pioneerRepo('sentry-javascript');
    const cache = tempDir('cache-');
    const run = await runCli(['extract', `file://${local}`, '--into', spine, '--dry-run', '--json'], {
      cwd: tempDir(),
      env: { ...GIT_ENV, XDG_CACHE_HOME: cache },
    });
    expect(run.code, run.stderr).toBe(0);
    const remote = JSON.parse(run.stdout);
    const fromClone = await extractJson([local], await newSpineRepo(), ['--dry-run']);
    const summary = (items: ExtractItem[]) => items.map((i) => `${i.kind}:${i.name}:${i.action}`).sort();
    expect(summary(remote.items)).toEqual(summary(fromClone.items));
    expect(remote.pioneers[0]).toMatchObject({
      team: 'sentry-javascript',
      commit: git(local, 'rev-parse', 'HEAD'),
    });
  });

  it('keeps a skill script executable, in the commit and on disk', async () => {
    const spine = await newSpineRepo();
    const result = await extractJson([pioneerRepo('playwright')], spine);
    git(spine, 'checkout', '-q', result.branch!);
    expect(result.changes).toContainEqual({
      path: 'skills/playwright-devops/fetch-commit-logs.sh',
      action: 'create',
      mode: '755',
    });
    expect(git(spine, 'ls-tree', 'HEAD', 'skills/playwright-devops/fetch-commit-logs.sh')).toMatch(
      /^100755 /,
    );
    expect(statSync(join(spine, 'skills/playwright-devops/fetch-commit-logs.sh')).mode & 0o111).not.toBe(0);
  });

  it('three pioneers together: one change, items found in several repos marked stronger, valid', async () => {
    const spine = await newSpineRepo();
    const parent = tempDir('pioneers-');
    const pioneers = (['biome', 'sentry-javascript', 'posthog'] as FixtureName[]).map((n) =>
      pioneerRepo(n, parent),
    );
    const result = await extractJson(pioneers, spine);
    expect(named(result.items, 'skill', 'take')).toEqual(['biome-code-review', 'changeset', 'e2e']);
    expect(named(result.items, 'command', 'take')).toEqual(['create-pr']);
    // biome and sentry both allow grep, find and WebFetch(github.com): one entry each, both sources.
    const grep = result.items.filter(
      (i) => i.rule?.rule === 'Bash(grep:*)' && i.sources[0]!.file === '.claude/settings.json',
    );
    expect(grep.map((i) => i.sources[0]!.team).sort()).toEqual(['biome', 'sentry-javascript']);
    expect(result.branch).toBe('spine-extract/biome-sentry-javascript-posthog');
    git(spine, 'checkout', '-q', result.branch!);
    expect(git(spine, 'log', '--format=%s', '-1')).toBe(
      'Extract the shared layer from biome, sentry-javascript, posthog',
    );
    expect(read(spine, 'CHANGELOG.md')).toContain(
      '- Extracted from biome, sentry-javascript, posthog: 3 skills, 1 command',
    );
    const validate = await cli(['validate', spine], tempDir());
    expect(validate.code, validate.stdout).toBe(0);

    // The same rule from two pioneers becomes one guardrail, marked as a stronger candidate.
    const withAllow = await extractJson(pioneers, await newSpineRepo(), ['--include-allow', '--dry-run']);
    const github = withAllow.items.filter(
      (i) => i.rule?.rule === 'WebFetch(domain:github.com)' && i.action === 'take',
    );
    expect(github).toHaveLength(1);
    expect(github[0]).toMatchObject({ name: 'allow-webfetch-domain-github-com', stronger: true });
  });

  it.each([
    ['staged, between git add and git commit', false],
    ['committed, before the original branch was checked out again', true],
  ])('a run killed with its files %s is finished by running it again', async (_name, committed) => {
    const pioneer = pioneerRepo('biome');
    const clean = await newSpineRepo();
    const done = await extractJson([pioneer], clean);
    const spine = await newSpineRepo();
    // What the killed run left: its branch checked out, holding exactly the uninterrupted run's files.
    git(spine, 'checkout', '-q', '-b', done.branch!);
    git(spine, 'fetch', '-q', clean, done.branch!);
    git(spine, 'checkout', 'FETCH_HEAD', '--', '.');
    if (committed) git(spine, 'commit', '-q', '-m', 'Extract the shared layer from biome');
    const head = git(spine, 'rev-parse', 'HEAD');
    const again = await extractJson([pioneer], spine);
    expect(again).toMatchObject({ branch: done.branch, checkedOut: 'main', summary: done.summary });
    if (committed) expect(again.commit).toBe(head);
    const outcome = (repo: string) => ({
      branches: git(repo, 'branch', '--format=%(HEAD) %(refname:short)'),
      tree: git(repo, 'rev-parse', `${done.branch}^{tree}`),
      log: git(repo, 'log', '--format=%s', `main..${done.branch}`),
      status: git(repo, 'status', '--porcelain', '--untracked-files=all'),
    });
    expect(outcome(spine)).toEqual(outcome(clean));
  });

  it('--dry-run writes nothing and prints the Markdown report; --report writes it to a file', async () => {
    const spine = await newSpineRepo();
    const before = snapshot(spine);
    const head = git(spine, 'rev-parse', 'HEAD');
    const parent = tempDir();
    const result = await cli(
      ['extract', pioneerRepo('biome'), '--into', spine, '--dry-run', '--report', 'report.md'],
      parent,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('# Extraction report');
    expect(result.stdout).toContain(
      'skill `changeset`: from biome — biome `.claude/skills/changeset/SKILL.md:1`',
    );
    expect(readFileSync(join(parent, 'report.md'), 'utf8')).toContain('## Left with the team');
    expect(snapshot(spine)).toEqual(before);
    expect(git(spine, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(spine, 'branch', '--list')).toBe('* main');
  });
});

describe('spine extract refuses bad input: exit 2, one line naming the file, nothing written', () => {
  it.each([
    [
      'a pioneer that is not a git repository',
      async () => ({ pioneer: tempDirWith({ '.claude/settings.json': '{}' }), spine: await newSpineRepo() }),
      (p: { pioneer: string }) => p.pioneer,
      'not a git repository',
    ],
    [
      'a pioneer settings file the client would drop',
      async () => ({
        pioneer: gitdir({
          '.claude/settings.json':
            '{\n  "permissions": { "defaultMode": "yolo", "deny": ["Bash(rm -rf /*)"] }\n}\n',
        }),
        spine: await newSpineRepo(),
      }),
      () => '.claude/settings.json:2:',
      'defaultMode',
    ],
    [
      'a spine directory that is not a spine',
      async () => ({ pioneer: pioneerRepo('biome'), spine: gitdir({ 'README.md': 'hi\n' }) }),
      (p: { spine: string }) => `${p.spine}/spine.yaml`,
      'not a spine',
    ],
    [
      'a spine work tree with uncommitted changes',
      async () => {
        const spine = await newSpineRepo();
        writeTree(spine, { 'glossary.yaml': `${read(spine, 'glossary.yaml')}# edited\n` });
        return { pioneer: pioneerRepo('biome'), spine };
      },
      (p: { spine: string }) => `${p.spine}/glossary.yaml`,
      'uncommitted changes',
    ],
    [
      "a killed extract's branch holding a file someone changed since (not the run's own: never resumed)",
      async () => {
        const spine = await newSpineRepo();
        git(spine, 'checkout', '-q', '-b', 'spine-extract/biome');
        writeTree(spine, { 'glossary.yaml': `${read(spine, 'glossary.yaml')}# edited\n` });
        return { pioneer: pioneerRepo('biome'), spine };
      },
      (p: { spine: string }) => `${p.spine}/glossary.yaml`,
      'uncommitted changes',
    ],
  ])('%s', async (_name, setup, file, message) => {
    const paths = await setup();
    const before = {
      spine: snapshot(paths.spine),
      pioneer: snapshot(paths.pioneer),
      refs: git(paths.spine, 'show-ref'),
    };
    const result = await cli(['extract', paths.pioneer, '--into', paths.spine], tempDir());
    expect(result.code, result.stdout).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file(paths as never));
    expect(lines[0]).toContain(message);
    expect(snapshot(paths.spine)).toEqual(before.spine);
    expect(snapshot(paths.pioneer)).toEqual(before.pioneer);
    expect(git(paths.spine, 'show-ref')).toBe(before.refs);
  });
});

function tempDirWith(files: Record<string, string>): string {
  const dir = tempDir();
  writeTree(dir, files);
  return dir;
}
