import { existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepMaskedNamesOutOfGit } from '../../src/hooks/git-exclude.js';
import { sha256, writeJournal } from '../../src/io/transaction/journal.js';
import { sealStore } from '../../src/io/transaction/seal.js';
import { git, gitdir, read, snapshot, tempDir, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

const TEAM = ['--team', 'payments', '--champion', '@alice', '--yes'];

/** A team's settings as people write them: its own keys, order, rules, hooks and env. */
const TEAM_SETTINGS = `${JSON.stringify(
  {
    $schema: 'https://json.schemastore.org/claude-code-settings.json',
    model: 'opus',
    permissions: { allow: ['Bash(npm test)', 'Bash(npm run lint)'], deny: ['Read(./secrets/**)'] },
    env: { APP_MODE: 'dev' },
    hooks: {
      PostToolUse: [{ matcher: 'Edit', hooks: [{ type: 'command', command: 'npx prettier --write .' }] }],
    },
    statusLine: { type: 'command', command: 'echo ok' },
  },
  null,
  2,
)}\n`;

/** A real team repo: its own settings, a skill of its own, its CLAUDE.md and .gitignore. */
function teamRepo() {
  return gitdir({
    'README.md': '# payments\n',
    '.claude/settings.json': TEAM_SETTINGS,
    '.claude/skills/deploy-payments/SKILL.md':
      '---\nname: deploy-payments\ndescription: Deploy.\n---\nSteps.\n',
    '.claude/agents/ledger-expert.md':
      '---\nname: ledger-expert\ndescription: Ledgers.\n---\nYou know ledgers.\n',
    'CLAUDE.md': '# Payments\n\nRun `npm test` before committing.\n',
    '.gitignore': 'node_modules/\ndist/\n',
    'src/index.ts': 'export const x = 1;\n',
  });
}

async function onboard(repo: string) {
  const init = await runCli(['init', ...TEAM], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
}

describe('spine remove', () => {
  it("takes spine out of a team repo and leaves the team's content byte-identical", async () => {
    const repo = teamRepo();
    const before = snapshot(repo);
    const exclude = read(repo, '.git/info/exclude');
    await onboard(repo);
    expect(read(repo, '.claude/settings.json')).not.toBe(TEAM_SETTINGS);
    // What the spine hook does at SessionStart: its block in the clone's exclude file.
    keepMaskedNamesOutOfGit(repo, () => {});
    expect(read(repo, '.git/info/exclude')).not.toBe(exclude);

    const result = await runCli(['remove'], { cwd: repo });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('- .spine/lock.json');
    expect(result.stdout).toContain('~ .claude/settings.json');
    expect(result.stdout).toContain('~ .git/info/exclude');
    expect(snapshot(repo)).toEqual(before);
    expect(read(repo, '.git/info/exclude')).toBe(exclude);
    expect(existsSync(join(repo, '.spine'))).toBe(false);
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');

    // Nothing of spine is left: doctor finds no spine here.
    const doctor = await runCli(['doctor'], { cwd: repo });
    expect(doctor.code).toBe(2);
    expect(doctor.stderr).toContain('not onboarded');
  });

  it('leaves a repo that had nothing of its own exactly as it was', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const before = snapshot(repo);
    await onboard(repo);
    const result = await runCli(['remove', '--json'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.dryRun).toBe(false);
    expect(doc.changes.find((c: { path: string }) => c.path === 'CLAUDE.md')).toMatchObject({
      action: 'delete',
    });
    expect(doc.changes.find((c: { path: string }) => c.path === '.claude/settings.json')).toMatchObject({
      action: 'delete',
    });
    expect(snapshot(repo)).toEqual(before);
    expect(existsSync(join(repo, '.claude'))).toBe(false);
  });

  it('--dry-run lists what would go and what stays, and writes nothing', async () => {
    const repo = teamRepo();
    await onboard(repo);
    const skill = '.claude/skills/review-change/SKILL.md';
    writeFileSync(join(repo, skill), `${read(repo, skill)}\nOur own note.\n`);
    const onboarded = snapshot(repo);

    const dry = await runCli(['remove', '--dry-run'], { cwd: repo });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing written');
    expect(dry.stdout).toContain('- .claude/hooks/spine-hook.cjs');
    expect(dry.stdout).toContain('~ CLAUDE.md');
    expect(dry.stdout).toContain(`= ${skill}`);
    expect(dry.stdout).toMatch(/would remove \d+ file\(s\) and \d+ settings entries/);
    expect(snapshot(repo)).toEqual(onboarded);

    const json = JSON.parse((await runCli(['remove', '--dry-run', '--json'], { cwd: repo })).stdout);
    expect(json.kept).toContainEqual(expect.objectContaining({ path: skill }));
    expect(snapshot(repo)).toEqual(onboarded);

    // The edited managed file is the team's now: removed everything else, kept it.
    expect((await runCli(['remove'], { cwd: repo })).code).toBe(0);
    expect(read(repo, skill)).toContain('Our own note.');
    expect(existsSync(join(repo, '.spine'))).toBe(false);
  });

  it('keeps an entry the team had before spine and one the team changed since', async () => {
    const repo = teamRepo();
    const settings = JSON.parse(TEAM_SETTINGS);
    settings.permissions.deny.push('Read(**/.env)');
    writeFileSync(join(repo, '.claude/settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
    await onboard(repo);
    const onboarded = JSON.parse(read(repo, '.claude/settings.json'));
    onboarded.sandbox.enabled = false;
    writeFileSync(join(repo, '.claude/settings.json'), `${JSON.stringify(onboarded, null, 2)}\n`);

    expect((await runCli(['remove'], { cwd: repo })).code).toBe(0);
    const after = JSON.parse(read(repo, '.claude/settings.json'));
    expect(after.permissions.deny).toEqual(['Read(./secrets/**)', 'Read(**/.env)']);
    expect(after.sandbox).toEqual({ enabled: false });
    expect(after.hooks).toEqual(settings.hooks);
  });

  it('takes the spine out of every launch directory too', async () => {
    const packageSettings = `${JSON.stringify({ permissions: { allow: ['Bash(make)'] } }, null, 2)}\n`;
    const repo = gitdir({
      'package.json': `${JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] })}\n`,
      'packages/api/package.json': '{"name":"api"}\n',
      'packages/api/.claude/settings.json': packageSettings,
      'packages/web/package.json': '{"name":"web"}\n',
    });
    const before = snapshot(repo);
    await onboard(repo);
    expect(existsSync(join(repo, 'packages/web/.claude/settings.json'))).toBe(true);
    expect(JSON.parse(read(repo, '.spine/lock.json')).launchDirs).toBeDefined();

    const result = await runCli(['remove'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    expect(existsSync(join(repo, 'packages/web/.claude'))).toBe(false);
  });

  it('takes the block out of AGENTS.md through a CLAUDE.md link, keeping the link', async () => {
    const repo = gitdir({ 'AGENTS.md': '# Agents\n\nShared notes.\n', 'README.md': '# app\n' });
    symlinkSync('AGENTS.md', join(repo, 'CLAUDE.md'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'link');
    const before = snapshot(repo);
    await onboard(repo);
    expect(read(repo, 'AGENTS.md')).toContain('<!-- spine:begin -->');
    const result = await runCli(['remove'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    expect(readlinkSync(join(repo, 'CLAUDE.md'))).toBe('AGENTS.md');
  });

  it('deletes the audit log and every other record: .spine/ goes whole', async () => {
    const repo = teamRepo();
    await onboard(repo);
    writeTree(repo, { '.spine/audit/2026-12-06.jsonl': '{"event":"PreToolUse"}\n' });
    expect((await runCli(['remove'], { cwd: repo })).code).toBe(0);
    expect(existsSync(join(repo, '.spine'))).toBe(false);
  });
});

describe('spine remove refuses bad input (exit 2, one line, nothing written)', () => {
  async function refused(repo: string, match: RegExp) {
    const before = snapshot(repo);
    const result = await runCli(['remove'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(match);
    expect(snapshot(repo)).toEqual(before);
    return result;
  }

  it('a repo that is not onboarded', async () => {
    await refused(teamRepo(), /not onboarded onto a spine: nothing to remove/);
  });

  it('an update in progress', async () => {
    const repo = teamRepo();
    await onboard(repo);
    writeTree(repo, { '.spine/update/journal.json': '{}\n' });
    await refused(repo, /an update is in progress: finish it \("spine update --continue"\) or undo it/);
  });

  it('a conflict an update left pending in the lock', async () => {
    const repo = teamRepo();
    await onboard(repo);
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    lock.pending = [{ kind: 'setting', key: 'sandbox.enabled', ours: true, theirs: false }];
    writeFileSync(join(repo, '.spine/lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    await refused(repo, /an update is in progress/);
  });

  it('a journal spine did not write', async () => {
    const repo = teamRepo();
    await onboard(repo);
    writeTree(repo, { '.spine/txn/journal.json': '{}\n' });
    await refused(repo, /journal\.json: .*spine will not act on it/);
  });

  it('a write another command left half done, with the way out', async () => {
    const repo = teamRepo();
    await onboard(repo);
    const state = tempDir('spine-state-');
    mkdirSync(join(repo, '.spine/txn'), { recursive: true });
    const claudeMd = readFileSync(join(repo, 'CLAUDE.md'));
    writeJournal(
      repo,
      {
        journalVersion: 2,
        command: 'doctor --fix',
        pid: 1,
        startedAt: '2026-12-06T10:00:00.000Z',
        entries: [
          {
            path: 'CLAUDE.md',
            before: claudeMd.toString('base64'),
            mode: 0o644,
            after: sha256(Buffer.from('x')),
            dirs: [],
          },
        ],
      },
      sealStore(join(state, 'spine'), repo),
    );
    const before = snapshot(repo);
    const result = await runCli(['remove'], { cwd: repo, env: { XDG_STATE_HOME: state } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /an interrupted "spine doctor --fix" left a write half done: run "spine doctor --fix"/,
    );
    expect(snapshot(repo)).toEqual(before);
  });

  it('a forged lock naming a file outside the managed set', async () => {
    const repo = teamRepo();
    await onboard(repo);
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    const hash = lock.files['.claude/agents/change-reviewer.md'].hash;
    for (const path of [
      'src/index.ts',
      '.git/config',
      '.claude/settings.local.json',
      '.claude/skills/../../README.md',
    ]) {
      const forged = { ...lock, files: { ...lock.files, [path]: { hash, kind: 'skill', owner: 'x' } } };
      writeFileSync(join(repo, '.spine/lock.json'), `${JSON.stringify(forged, null, 2)}\n`);
      await refused(repo, /not a lock spine will act on: it names .* which is not a file spine manages/);
    }
  });

  it('a forged lock with a launch directory outside the repo', async () => {
    const repo = teamRepo();
    await onboard(repo);
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    writeFileSync(
      join(repo, '.spine/lock.json'),
      `${JSON.stringify({ ...lock, launchDirs: { '../elsewhere': {} } }, null, 2)}\n`,
    );
    await refused(repo, /not a lock spine will act on: its launch directory "..\/elsewhere"/);
  });

  it('a lock that is not valid JSON', async () => {
    const repo = teamRepo();
    await onboard(repo);
    writeFileSync(join(repo, '.spine/lock.json'), '{ "lockVersion": 1,\n');
    await refused(repo, /lock\.json:\d+:\d+/);
  });

  it('a settings file that is not valid JSON', async () => {
    const repo = teamRepo();
    await onboard(repo);
    writeFileSync(join(repo, '.claude/settings.json'), '{\n  "permissions": {\n');
    await refused(repo, /settings\.json:\d+:\d+: cannot take spine out of it: invalid JSON/);
  });

  it('never deletes through a link in .spine/', async () => {
    const repo = teamRepo();
    await onboard(repo);
    mkdirSync(join(repo, '.spine/audit'), { recursive: true });
    symlinkSync('../../src/index.ts', join(repo, '.spine/audit/today.jsonl'));
    const result = await runCli(['remove'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('= .spine/audit/today.jsonl');
    expect(read(repo, 'src/index.ts')).toBe('export const x = 1;\n');
  });
});
