import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditDay } from '../helpers/fleet.js';
import { git, gitdir, read, snapshot, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

const NOW = { SOURCE_DATE_EPOCH: String(Date.parse('2030-03-25T12:00:00Z') / 1000) };

function commitAt(dir: string, date: string, message: string, author = 'Test <test@example.com>'): void {
  process.env.GIT_AUTHOR_DATE = process.env.GIT_COMMITTER_DATE = `${date}T12:00:00Z`;
  try {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', `--author=${author}`, '-m', message);
  } finally {
    delete process.env.GIT_AUTHOR_DATE;
    delete process.env.GIT_COMMITTER_DATE;
  }
}

describe('spine facts on an onboarded repo', () => {
  it('writes counts only: t0, weekly git series, skills, daily activity, doctor summary', async () => {
    const repo = gitdir();
    commitAt(repo, '2030-03-04', 'start', 'Ann <ann@example.com>');
    commitAt(repo, '2030-03-05', 'more', 'Bob <bob@example.com>');
    const init = await runCli(
      ['init', '--team', 'payments', '--champion', '@ann', '--yes', '--ci', 'github'],
      {
        cwd: repo,
      },
    );
    expect(init.code).toBe(0);
    commitAt(repo, '2030-03-12', 'onboard spine');
    commitAt(
      repo,
      '2030-03-13',
      'feat: x\n\nCo-Authored-By: Claude <noreply@anthropic.com>',
      'Ann <ann@example.com>',
    );
    writeTree(repo, {
      '.claude/skills/release-notes/SKILL.md':
        '---\nname: release-notes\ndescription: Drafts release notes.\n---\n# x\n',
    });
    commitAt(repo, '2030-03-14', 'local skill', 'Ann <ann@example.com>');
    const day = (d: string, lines: object[]) =>
      writeFileSync(
        join(repo, '.spine/audit', `${d}.jsonl`),
        `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
      );
    writeTree(repo, { '.spine/audit/.keep': '' });
    day(
      '2030-03-20',
      auditDay({
        day: '2030-03-20',
        sessions: 2,
        toolCalls: 7,
        nearMisses: { 'secret-dotenv': 3 },
        sameSession: ['secret-dotenv'],
        skillTool: { 'review-change': 2 },
        slash: { 'release-notes': 1, clear: 1, 'not-a-skill': 1 },
      }),
    );
    // A torn last line (a crash mid-write) is skipped, never fatal.
    appendFileSync(join(repo, '.spine/audit/2030-03-20.jsonl'), '{"ts":"2030-03-20T11:00');
    // A locally edited managed skill: drift doctor reports as a warning.
    appendFileSync(join(repo, '.claude/skills/review-change/SKILL.md'), '\nlocal tweak\n');

    const result = await runCli(['facts', '--json', '--offline'], { cwd: repo, env: NOW });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('SECRET-TOKEN');
    expect(result.stdout).not.toContain('.env');
    expect(result.stdout).not.toContain('please');
    const facts = JSON.parse(result.stdout);
    expect(facts).toMatchObject({
      factsVersion: 1,
      generatedAt: '2030-03-25T12:00:00.000Z',
      team: 'payments',
      champion: '@ann',
      spine: { name: 'default-spine', version: '1.0.0', source: 'embedded' },
      t0: '2030-03-12',
      lockHistory: [{ date: '2030-03-12', version: '1.0.0' }],
    });
    expect(facts.git.weeks).toEqual([
      { week: '2030-03-04', commits: 2, contributors: 2, agentCommits: 0 },
      { week: '2030-03-11', commits: 3, contributors: 2, agentCommits: 1 },
    ]);
    const skills = Object.fromEntries(
      facts.skills.map((s: { name: string; shared: boolean }) => [s.name, s.shared]),
    );
    expect(skills).toMatchObject({ 'review-change': true, 'handle-secrets': true, 'release-notes': false });
    expect(facts.activity.days).toEqual([
      {
        date: '2030-03-20',
        sessions: 2,
        toolCalls: 7,
        nearMisses: { 'secret-dotenv': 3 },
        nearMissSessions: { 'secret-dotenv': 1 },
        skillUses: { 'review-change': 2, 'release-notes': 1 },
      },
    ]);
    expect(facts.doctor.available).toBe(true);
    expect(facts.doctor.bySeverity.warning).toBeGreaterThanOrEqual(1);
    const edited = facts.doctor.findings.find(
      (f: { path?: string }) => f.path === '.claude/skills/review-change/SKILL.md',
    );
    expect(edited).toMatchObject({ severity: 'warning', since: '2030-03-12' });

    // The document is valid against the published schema: report accepts it unchanged.
    writeFileSync(join(repo, '..', `${repo.split('/').pop()}.facts.json`), result.stdout);
    const report = await runCli(['report', '--facts', `../${repo.split('/').pop()}.facts.json`, '--json'], {
      cwd: repo,
    });
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).repos[0]).toMatchObject({
      team: 'payments',
      toolCalls: 7,
      nearMisses: 3,
    });
  });

  it('refuses a directory that is not a git repository', async () => {
    const dir = gitdir();
    const result = await runCli(['facts', '--cwd', join(dir, 'nope')], { cwd: dir });
    expect(result.code).toBe(2);
  });
});

describe('spine init --ci github', () => {
  it('writes the managed workflow, records it in the lock, and changes nothing the second time', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const args = ['init', '--team', 't', '--champion', 'c', '--yes', '--ci', 'github'];
    expect((await runCli(args, { cwd: repo })).code).toBe(0);
    const workflow = read(repo, '.github/workflows/spine.yml');
    expect(workflow).toMatch(/npm install --global .*agent-spine@\d/);
    expect(workflow).toContain('spine doctor --sarif spine.sarif');
    expect(workflow).not.toContain('|| true');
    expect(workflow).toContain('github/codeql-action/upload-sarif');
    expect(workflow).toContain('facts --json > spine-facts.json');
    expect(workflow).toContain('actions/upload-artifact');
    expect(workflow).toMatch(/schedule:\n\s+- cron:/);
    expect(workflow).not.toContain('{{');
    const before = snapshot(repo);
    const again = await runCli([...args, '--json'], { cwd: repo });
    expect(JSON.parse(again.stdout).changes).toEqual([]);
    expect(snapshot(repo)).toEqual(before);
    expect(readFileSync(join(repo, '.github/workflows/spine.yml'), 'utf8')).toBe(workflow);
  });

  it('never overwrites a workflow of the same name that spine did not write', async () => {
    const repo = gitdir({ '.github/workflows/spine.yml': 'name: ours\n' });
    const before = snapshot(repo);
    const result = await runCli(['init', '--yes', '--ci', 'github'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.github/workflows/spine.yml');
    expect(snapshot(repo)).toEqual(before);
  });

  it('rejects an unknown forge with exit 2', async () => {
    const repo = gitdir();
    const result = await runCli(['init', '--yes', '--ci', 'gitlab'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(snapshot(repo)).toEqual({});
  });
});

describe('spine audit --rollup day --json', () => {
  it('gives the same daily counts from the audit log, without tool input', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const lines = auditDay({
      day: '2030-03-20',
      sessions: 3,
      toolCalls: 5,
      nearMisses: { 'secret-dotenv': 2 },
      slash: { deploy: 1 },
    });
    writeTree(repo, {
      '.spine/audit/2030-03-20.jsonl': `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
    });
    const result = await runCli(['audit', '--rollup', 'day', '--json'], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('SECRET-TOKEN');
    expect(JSON.parse(result.stdout)).toEqual({
      rollupVersion: 1,
      by: 'day',
      since: null,
      days: [
        {
          date: '2030-03-20',
          sessions: 3,
          toolCalls: 5,
          nearMisses: { 'secret-dotenv': 2 },
          nearMissSessions: { 'secret-dotenv': 2 },
          skillUses: { deploy: 1 },
        },
      ],
      skippedLines: 0,
    });
  });
});
