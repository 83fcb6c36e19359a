import { spawn } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processStart } from '../../src/io/transaction/holder.js';
import { git, gitdir, read, snapshot, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { commit, lockOf, onboard, update, useTaggedSpine } from '../helpers/update-spine.js';

useTaggedSpine();

const LOCK = '.spine/txn/writer.lock';

describe('one writer per repository', () => {
  it('a second writer waits briefly, then exits 2 naming the live holder; a dead holder is taken over', async () => {
    const repo = await onboard();
    writeFileSync(join(repo, '.claude/skills/review-change/SKILL.md'), 'drift\n');
    commit(repo, 'drift');
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      writeTree(repo, {
        '.spine/txn/.gitignore': '*\n',
        [LOCK]: JSON.stringify({ pid: holder.pid, start: processStart(holder.pid!), command: 'update' }),
      });
      const before = snapshot(repo);
      const blocked = await runCli(['doctor', '--fix', '--offline'], { cwd: repo });
      expect(blocked.code).toBe(2);
      expect(blocked.stderr).toBe(
        `spine: ${LOCK}: this repository is locked by another spine process, "spine update" (pid ${holder.pid}); wait for it to finish, or remove the lock file if that process is not spine\n`,
      );
      expect(snapshot(repo)).toEqual(before);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
    }
    const fixed = await runCli(['doctor', '--fix', '--offline'], { cwd: repo });
    expect(fixed.code).toBe(0);
    expect(git(repo, 'status', '--porcelain', '--ignored', '--', '.spine')).toBe('');
  });

  it('update and doctor --fix started together never mix versions: the lock agrees with the files', async () => {
    const repo = await onboard();
    const both = await Promise.all([
      update(repo, '--to', 'v1.1.0'),
      new Promise((r) => setTimeout(r, 300)).then(() =>
        runCli(['doctor', '--fix', '--offline'], { cwd: repo }),
      ),
    ]);
    expect(both[0].code).toBe(0);
    expect([0, 2]).toContain(both[1].code);
    expect(lockOf(repo).spine.version).toBe('1.1.0');
    const doctor = await runCli(['doctor', '--offline', '--json'], { cwd: repo });
    const codes = JSON.parse(doctor.stdout).findings.map((f: { code: string }) => f.code);
    expect(codes.filter((c: string) => c !== 'update-available')).toEqual([]);
  });
});

describe('symlinks inside the repository are kept', () => {
  it('CLAUDE.md → AGENTS.md stays a link and the managed block is written into AGENTS.md', async () => {
    const repo = gitdir({ 'README.md': '# app\n', 'AGENTS.md': '# Agents\n\nOur notes.\n' });
    symlinkSync('AGENTS.md', join(repo, 'CLAUDE.md'));
    const result = await runCli(['init', '--team', 'payments', '--champion', '@a', '--yes'], { cwd: repo });
    expect(result.code).toBe(0);
    expect(lstatSync(join(repo, 'CLAUDE.md')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(repo, 'CLAUDE.md'))).toBe('AGENTS.md');
    const agents = read(repo, 'AGENTS.md');
    expect(agents.startsWith('# Agents\n\nOur notes.\n')).toBe(true);
    expect(agents).toContain('<!-- spine:begin -->');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'init');
    const doctor = await runCli(['doctor', '--offline'], { cwd: repo });
    expect(doctor.code).toBe(0);
  });
});

describe('a byte order mark in settings.json is accepted as Claude Code accepts it', () => {
  it('init, doctor and update all read it, and keep it', async () => {
    const settings = '\uFEFF{\n  "permissions": {\n    "allow": ["Bash(npm test)"]\n  }\n}\n';
    const repo = await onboard({ '.claude/settings.json': settings });
    const text = readFileSync(join(repo, '.claude/settings.json'), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect((await runCli(['doctor', '--offline'], { cwd: repo })).code).toBe(0);
    const updated = await update(repo, '--to', 'v1.1.0');
    expect(updated.stderr).toBe('');
    expect(updated.code).toBe(0);
    expect(read(repo, '.claude/settings.json').startsWith('\uFEFF')).toBe(true);
    expect(JSON.parse(read(repo, '.claude/settings.json').slice(1)).permissions.allow).toEqual([
      'Bash(npm test)',
    ]);
  });
});
