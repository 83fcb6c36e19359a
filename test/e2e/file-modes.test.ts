import { chmodSync, cpSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contribute, GITHUB_UPSTREAM, SKILL, setup } from '../helpers/contribute-setup.js';
import { git, gitdir, read, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';

/**
 * Executable skill scripts keep their x bit from the spine to the team repo (init, update,
 * doctor --fix), to an exported plugin and back upstream; the lock records it; doctor reports
 * a changed one as drift.
 */
const SCRIPT = 'skills/deploy-check/scripts/run.sh';
const TEAM_SCRIPT = `.claude/${SCRIPT}`;
const SKILL_MD = '.claude/skills/deploy-check/SKILL.md';
const skillMd =
  '---\nname: deploy-check\ndescription: Checks a deploy before it ships; use it before any deploy.\n---\n\n# deploy-check\n\nRun `scripts/run.sh` from this skill.\n';

const isExecutable = (path: string) => (statSync(path).mode & 0o111) !== 0;
const lockOf = (repo: string) => JSON.parse(read(repo, '.spine/lock.json'));
const cache = () => ({ XDG_CACHE_HOME: tempDir('spine-cache-') });

/** The embedded spine plus a skill with an executable script, as a directory. */
function spineDir(): string {
  return spineCopy((dir) => {
    writeTree(dir, {
      'skills/deploy-check/SKILL.md': skillMd,
      [SCRIPT]: '#!/bin/sh\necho ok\n',
    });
    chmodSync(join(dir, SCRIPT), 0o755);
  });
}

async function init(repo: string, spine: string, ...extra: string[]) {
  return runCli(['init', '--spine', spine, '--team', 'payments', '--champion', '@a', '--yes', ...extra], {
    cwd: repo,
    env: cache(),
  });
}

async function doctor(repo: string, ...args: string[]) {
  const result = await runCli(['doctor', '--json', '--offline', ...args], { cwd: repo });
  return { ...result, report: JSON.parse(result.stdout) as { findings: any[]; fixed: any[] } };
}

const modeFindings = (report: { findings: any[] }) =>
  report.findings.filter((f) => f.code === 'managed-file-mode');

function commitAll(repo: string, message: string) {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', message);
}

describe.concurrent('file modes: init', () => {
  it('a directory spine: the script is executable in the team repo, the lock says 755, git stages 100755', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const result = await init(repo, spineDir());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(true);
    expect(isExecutable(join(repo, SKILL_MD))).toBe(false);
    const lock = lockOf(repo);
    expect(lock.files[TEAM_SCRIPT].mode).toBe('755');
    expect(lock.files[SKILL_MD]).not.toHaveProperty('mode');
    git(repo, 'add', '-A');
    expect(git(repo, 'ls-files', '-s', TEAM_SCRIPT)).toMatch(/^100755 /);
    expect(git(repo, 'ls-files', '-s', SKILL_MD)).toMatch(/^100644 /);
  });

  it('a git spine: the mode comes from the commit (100755), not from the work tree', async () => {
    const spine = gitdir({}, 'spine-git-');
    cpSync(spineDir(), spine, { recursive: true });
    commitAll(spine, 'v1');
    expect(git(spine, 'ls-files', '-s', SCRIPT)).toMatch(/^100755 /);
    // Uncommitted: the work tree loses the bit, the commit still has it.
    git(spine, 'config', 'core.fileMode', 'false');
    chmodSync(join(spine, SCRIPT), 0o644);
    const repo = gitdir({ 'README.md': '# app\n' });
    const result = await init(repo, spine, '--ref', 'main');
    expect(result.code).toBe(0);
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(true);
    expect(lockOf(repo).files[TEAM_SCRIPT].mode).toBe('755');
  });

  it('a team file identical to the spine script is adopted with the x bit', async () => {
    const repo = gitdir({ 'README.md': '# app\n', [TEAM_SCRIPT]: '#!/bin/sh\necho ok\n' });
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(false);
    const result = await init(repo, spineDir());
    expect(result.code).toBe(0);
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(true);
  });
});

describe.concurrent('file modes: doctor', () => {
  let spine: string;
  beforeAll(() => {
    spine = spineDir();
  });

  async function onboarded(): Promise<string> {
    const repo = gitdir({ 'README.md': '# app\n' });
    expect((await init(repo, spine)).code).toBe(0);
    commitAll(repo, 'spine init');
    return repo;
  }

  it('a script that lost its x bit is drift (exit 1); --fix restores it, even though git sees it modified', async () => {
    const repo = await onboarded();
    expect((await doctor(repo)).code).toBe(0);
    chmodSync(join(repo, TEAM_SCRIPT), 0o644);

    const found = await doctor(repo);
    expect(found.code).toBe(1);
    expect(modeFindings(found.report)).toEqual([
      expect.objectContaining({
        severity: 'error',
        path: TEAM_SCRIPT,
        message: expect.stringContaining('is not executable'),
        fix: expect.stringContaining('spine doctor --fix'),
      }),
    ]);
    const human = await runCli(['doctor', '--offline'], { cwd: repo });
    expect(human.stdout).toContain('managed-file-mode');

    const fixed = await doctor(repo, '--fix');
    expect(fixed.stderr).toBe('');
    expect(fixed.code).toBe(0);
    expect(fixed.report.fixed).toEqual([
      expect.objectContaining({ path: TEAM_SCRIPT, note: 'mode restored' }),
    ]);
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(true);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(modeFindings((await doctor(repo)).report)).toEqual([]);
  });

  it('a managed file made executable is a warning; --fix removes the bit', async () => {
    const repo = await onboarded();
    chmodSync(join(repo, SKILL_MD), 0o755);
    const found = await doctor(repo);
    expect(found.code).toBe(0);
    expect(modeFindings(found.report)).toEqual([
      expect.objectContaining({ severity: 'warning', path: SKILL_MD }),
    ]);
    expect((await doctor(repo, '--strict')).code).toBe(1);
    await doctor(repo, '--fix');
    expect(isExecutable(join(repo, SKILL_MD))).toBe(false);
  });

  it('an edited script restored by --fix gets its bytes and its x bit back', async () => {
    const repo = await onboarded();
    writeFileSync(join(repo, TEAM_SCRIPT), '#!/bin/sh\necho mine\n', { mode: 0o644 });
    chmodSync(join(repo, TEAM_SCRIPT), 0o644);
    commitAll(repo, 'edit');
    const fixed = await doctor(repo, '--fix');
    expect(fixed.code).toBe(0);
    expect(read(repo, TEAM_SCRIPT)).toBe('#!/bin/sh\necho ok\n');
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(true);
  });

  it('where git ignores modes (core.fileMode=false) a lost x bit is not reported', async () => {
    const repo = await onboarded();
    git(repo, 'config', 'core.fileMode', 'false');
    chmodSync(join(repo, TEAM_SCRIPT), 0o644);
    const result = await doctor(repo);
    expect(result.code).toBe(0);
    expect(modeFindings(result.report)).toEqual([]);
  });

  it('a lock written before modes were recorded: only scripts still without their bit are reported, and init repairs them', async () => {
    const repo = await onboarded();
    // What an earlier version left: no mode in the lock, the script written 644.
    const lock = lockOf(repo);
    delete lock.files[TEAM_SCRIPT].mode;
    writeFileSync(join(repo, '.spine/lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    chmodSync(join(repo, TEAM_SCRIPT), 0o644);
    commitAll(repo, 'as an earlier version left it');

    const found = await doctor(repo);
    expect(modeFindings(found.report).map((f) => f.path)).toEqual([TEAM_SCRIPT]);
    expect(found.report.findings.filter((f) => f.code !== 'managed-file-mode')).toEqual([]);

    const again = await init(repo, spine);
    expect(again.code).toBe(0);
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(true);
    expect(lockOf(repo).files[TEAM_SCRIPT].mode).toBe('755');
    expect((await doctor(repo)).report.findings).toEqual([]);
  });

  it('a lock with a mode spine never writes is bad input: one line naming the lock and line, exit 2, nothing changed', async () => {
    const repo = await onboarded();
    const lock = lockOf(repo);
    lock.files[TEAM_SCRIPT].mode = '777';
    writeFileSync(join(repo, '.spine/lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    const before = snapshot(repo);
    for (const args of [['doctor'], ['doctor', '--fix']]) {
      const result = await runCli([...args, '--offline'], { cwd: repo });
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/\.spine\/lock\.json:\d+:\d+: .*invalid lock.*mode/);
      expect(snapshot(repo)).toEqual(before);
    }
  });

  it('a lock written before modes were recorded and a script the team made executable itself: clean', async () => {
    const repo = await onboarded();
    const lock = lockOf(repo);
    delete lock.files[TEAM_SCRIPT].mode;
    writeFileSync(join(repo, '.spine/lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    const result = await doctor(repo);
    expect(result.code).toBe(0);
    expect(result.report.findings).toEqual([]);
  });
});

describe.concurrent('file modes: export plugin', () => {
  it('keeps the x bit in the exported plugin, and puts it back on a re-export', async () => {
    const spine = spineDir();
    const out = join(tempDir('spine-export-'), 'market');
    const run = () => runCli(['export', 'plugin', out, '--spine', spine], { cwd: tempDir(), env: cache() });
    const first = await run();
    // Only the line naming what was exported.
    expect(first.stderr).toMatch(/^exporting default-spine v\d+\.\d+\.\d+ \([^\n]*\)\n$/);
    expect(first.code).toBe(0);
    const exported = join(out, 'plugins/default-spine', SCRIPT);
    expect(isExecutable(exported)).toBe(true);
    expect(isExecutable(join(out, 'plugins/default-spine/skills/deploy-check/SKILL.md'))).toBe(false);
    chmodSync(exported, 0o644);
    const second = await run();
    expect(second.code).toBe(0);
    expect(isExecutable(exported)).toBe(true);
  });
});

describe.concurrent('file modes: update', () => {
  const KEEP = 'skills/deploy-check/scripts/keep.sh';
  let spine: string;
  beforeAll(() => {
    // v1.0.0: run.sh is a plain file, keep.sh executable. v1.1.0: run.sh becomes executable,
    // keep.sh changes content but not mode.
    spine = gitdir({}, 'spine-modes-');
    cpSync(EMBEDDED_SPINE, spine, { recursive: true });
    writeTree(spine, {
      'skills/deploy-check/SKILL.md': skillMd,
      [SCRIPT]: '#!/bin/sh\necho ok\n',
      [KEEP]: '#!/bin/sh\necho keep\n',
    });
    chmodSync(join(spine, KEEP), 0o755);
    commitAll(spine, 'v1.0.0');
    git(spine, 'tag', 'v1.0.0');
    chmodSync(join(spine, SCRIPT), 0o755);
    writeFileSync(join(spine, KEEP), '#!/bin/sh\necho keep, newer\n');
    editFile(spine, 'spine.yaml', (t) => t.replace(/^version: .*$/m, 'version: 1.1.0'));
    commitAll(spine, 'v1.1.0');
    git(spine, 'tag', 'v1.1.0');
  });

  it("a release that makes a script executable changes its mode; a team's own chmod the release did not touch stays", async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    expect((await init(repo, spine, '--ref', 'v1.0.0')).code).toBe(0);
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(false);
    expect(isExecutable(join(repo, `.claude/${KEEP}`))).toBe(true);
    chmodSync(join(repo, `.claude/${KEEP}`), 0o644);
    commitAll(repo, 'onboard; keep.sh is run through sh here');

    const updated = await runCli(['update', '--to', 'v1.1.0', '--json'], { cwd: repo, env: cache() });
    expect(updated.stderr).toBe('');
    expect(updated.code).toBe(0);
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(true);
    expect(read(repo, `.claude/${KEEP}`)).toBe('#!/bin/sh\necho keep, newer\n');
    expect(isExecutable(join(repo, `.claude/${KEEP}`))).toBe(false);
    const lock = lockOf(repo);
    expect(lock.files[TEAM_SCRIPT].mode).toBe('755');
    expect(lock.files[`.claude/${KEEP}`].mode).toBe('755');
    git(repo, 'add', '-A');
    expect(git(repo, 'ls-files', '-s', TEAM_SCRIPT)).toMatch(/^100755 /);
  });

  it('an update that stops on a conflict and is aborted puts the modes back too', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    expect((await init(repo, spine, '--ref', 'v1.0.0')).code).toBe(0);
    writeFileSync(join(repo, `.claude/${KEEP}`), '#!/bin/sh\necho keep, ours\n');
    commitAll(repo, 'our keep.sh');
    const stopped = await runCli(['update', '--to', 'v1.1.0'], { cwd: repo, env: cache() });
    expect(stopped.code).toBe(1);
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(true);
    const aborted = await runCli(['update', '--abort'], { cwd: repo, env: cache() });
    expect(aborted.code).toBe(0);
    expect(isExecutable(join(repo, TEAM_SCRIPT))).toBe(false);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('file modes: contribute', () => {
  it("a team skill's executable script is proposed as 100755", async () => {
    const s = await setup(GITHUB_UPSTREAM);
    const script = `.claude/skills/${SKILL}/scripts/check.sh`;
    writeTree(s.team, { [script]: '#!/bin/sh\necho check\n' });
    chmodSync(join(s.team, script), 0o755);
    commitAll(s.team, 'a script');
    const result = await contribute(s, [SKILL, '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `diff --git a/skills/${SKILL}/scripts/check.sh b/skills/${SKILL}/scripts/check.sh\\nnew file mode 100755`,
      ),
    );
  });
});
