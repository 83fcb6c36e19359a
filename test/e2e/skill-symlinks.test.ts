import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contribute, type Setup, setup, teamState } from '../helpers/contribute-setup.js';
import { doctor, onboarded, onboardOnce } from '../helpers/doctor-repo.js';
import { git, gitdir, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { GIT_ENV, newSpineRepo } from '../helpers/pioneers.js';
import { runCli } from '../helpers/run-cli.js';
import { spineCopy } from '../helpers/spine-copy.js';

// Real repos keep a skill elsewhere and link it in: `.claude/skills/x → ../../skills/x`. Claude
// Code loads a symlinked skill folder wherever it points and skips a link to nothing or to a file
// (claude-skill-symlinks.test.ts); spine reads such a folder as the folder it points to.

const skillMd = (name: string) =>
  `---\nname: ${name}\ndescription: Use when ${name} needs doing; it walks through the steps one by one.\n---\n\n# ${name}\n\nSee shared.md.\n`;

/** The four kinds of entry: a link into the repo, a link out, a link to nothing, a link to a file. */
function linkSkills(repo: string): string {
  const outside = tempDir('spine-outside-');
  writeTree(outside, { 'ext-skill/SKILL.md': skillMd('ext-skill') });
  writeTree(repo, {
    'skills/deploy-notes/SKILL.md': skillMd('deploy-notes'),
    'docs/shared.md': 'Shared steps, kept once in docs/.\n',
  });
  mkdirSync(join(repo, '.claude/skills'), { recursive: true });
  // A file of the skill that links elsewhere in the repo is read through too.
  symlinkSync('../../docs/shared.md', join(repo, 'skills/deploy-notes/shared.md'));
  symlinkSync('../../skills/deploy-notes', join(repo, '.claude/skills/deploy-notes'));
  symlinkSync(join(outside, 'ext-skill'), join(repo, '.claude/skills/ext-skill'));
  symlinkSync('../../skills/gone', join(repo, '.claude/skills/gone'));
  symlinkSync('../../docs/shared.md', join(repo, '.claude/skills/a-file'));
  return outside;
}

describe('symlinked skill folders in a team repo', () => {
  onboardOnce();

  it('doctor lists a linked skill as local, names a link out of the repo, warns about broken links', async () => {
    const repo = onboarded();
    linkSkills(repo);
    const { code, report } = await doctor(repo);
    expect(code).toBe(0);
    const skills = report.findings.filter((f) => f.category === 'skills');
    expect(skills.map((f) => `${f.severity}:${f.code}:${f.path}`).sort()).toEqual([
      'info:local-skill:.claude/skills/deploy-notes/SKILL.md',
      'info:local-skill:.claude/skills/ext-skill',
      'warning:skill-link-broken:.claude/skills/a-file',
      'warning:skill-link-broken:.claude/skills/gone',
    ]);
    const byPath = Object.fromEntries(skills.map((f) => [f.path, f.message]));
    expect(byPath['.claude/skills/ext-skill']).toMatch(
      /^local skill ext-skill lives outside the repository \(a symlink to \/.*ext-skill\): Claude Code loads it/,
    );
    expect(byPath['.claude/skills/gone']).toBe(
      'skill link gone points to ../../skills/gone, which is not a folder: Claude Code skips the skill without a word',
    );
  });

  it('facts count a linked skill in the repo as local, not one outside it', async () => {
    const repo = onboarded();
    linkSkills(repo);
    const facts = await runCli(['facts', '--json'], { cwd: repo });
    expect(facts.code, facts.stderr).toBe(0);
    const local = JSON.parse(facts.stdout)
      .skills.filter((s: { shared: boolean }) => !s.shared)
      .map((s: { name: string }) => s.name);
    expect(local).toEqual(['deploy-notes']);
  });

  it('a link back to a folder that holds it is a problem, not an endless walk', async () => {
    const spine = spineCopy((dir) => symlinkSync('..', join(dir, 'skills/review-change/loop')));
    const result = await runCli(['validate', spine], { cwd: spine });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/skills\/review-change\/loop: error symlink-loop symlink leads back/);

    // extract reads a pioneer's linked skill folder once, however its links loop.
    const pioneer = gitdir({ 'README.md': '# app\n' }, 'pioneer-');
    linkSkills(pioneer);
    symlinkSync('..', join(pioneer, 'skills/deploy-notes/loop'));
    git(pioneer, 'add', '-A');
    git(pioneer, 'commit', '-q', '-m', 'skills');
    const into = await newSpineRepo();
    const extract = await runCli(['extract', pioneer, '--into', into, '--json', '--dry-run'], {
      cwd: tempDir(),
      env: GIT_ENV,
    });
    expect(extract.code, extract.stderr).toBe(0);
    const paths = JSON.parse(extract.stdout).changes.map((c: { path: string }) => c.path);
    expect(paths).toContain('skills/deploy-notes/SKILL.md');
    expect(paths.filter((p: string) => p.includes('/loop'))).toEqual([]);
  });
});

describe('spine contribute of a symlinked skill', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup('');
    linkSkills(s.team);
    git(s.team, 'add', '-A');
    git(s.team, 'commit', '-q', '-m', 'linked skills');
  }, 60_000);

  it('proposes the content the link points to, files linked within the repo included', async () => {
    const before = teamState(s.team);
    const result = await contribute(s, ['deploy-notes', '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('+++ b/skills/deploy-notes/SKILL.md');
    expect(result.stdout).toContain('+++ b/skills/deploy-notes/shared.md');
    expect(result.stdout).toContain('+Shared steps, kept once in docs/.');
    expect(teamState(s.team)).toEqual(before);
  });

  it('refuses a link out of the repo and a broken link with one line each, exit 2, nothing changed', async () => {
    const before = snapshot(s.team);
    const out = await contribute(s, ['ext-skill', '--dry-run']);
    expect(out.code).toBe(2);
    expect(out.stderr.trim()).toBe(
      'spine: .claude/skills/ext-skill: refusing to read a skill through a symlink that leads out of the repository',
    );
    const gone = await contribute(s, ['gone', '--dry-run']);
    expect(gone.code).toBe(2);
    expect(gone.stderr.trim()).toBe(
      'spine: .claude/skills/gone: no skill "gone": .claude/skills/gone is a symlink to ../../skills/gone, which is not a directory (see "spine skill new")',
    );
    expect(snapshot(s.team)).toEqual(before);
  });
});
