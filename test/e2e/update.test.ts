import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, read, snapshot } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile } from '../helpers/spine-copy.js';
import {
  CHECKLIST,
  CHECKLIST_LINE,
  commit,
  LOGO_TEAM,
  LOGO_V2,
  lockOf,
  NEW_SCRIPT,
  OLD_SCRIPT,
  onboard,
  REVIEW,
  settingsOf,
  update,
  useTaggedSpine,
} from '../helpers/update-spine.js';

useTaggedSpine();

describe('spine update: managed files', () => {
  it('merges edits to different parts of a skill; --dry-run and --json write nothing', async () => {
    const repo = await onboard();
    editFile(repo, REVIEW, (t) => t.replace('# Review a change', '# Review a change (payments)'));
    commit(repo, 'team edit');
    const before = snapshot(repo);

    const dry = await update(repo, '--to', 'v1.1.0', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run');
    expect(dry.stdout).toMatch(/merged\s+\| \.claude\/skills\/review-change\/SKILL\.md/);
    const json = await update(repo, '--to', 'v1.1.0', '--dry-run', '--json');
    expect(snapshot(repo)).toEqual(before);
    const plan = JSON.parse(json.stdout);
    expect(plan.to.version).toBe('1.1.0');
    expect(plan.files).toContainEqual(expect.objectContaining({ status: 'merged', path: REVIEW }));

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    // Dry run printed exactly what the real run did, bar the banner and the closing line.
    const table = (s: string) => s.split('\n').filter((l) => l.includes(' | '));
    expect(table(result.stdout)).toEqual(table(dry.stdout));
    const text = read(repo, REVIEW);
    expect(text).toContain('# Review a change (payments)');
    expect(text).toContain('Extra upstream line.');
    expect(text).not.toContain('<<<<<<<');
    expect(existsSync(join(repo, '.claude/skills/legacy-tool/SKILL.md'))).toBe(false);
    expect(existsSync(join(repo, '.spine/update'))).toBe(false);
    const lock = lockOf(repo);
    expect(lock.spine.version).toBe('1.1.0');
    expect(lock.pending).toBeUndefined();
    expect(git(repo, 'ls-files', '-u')).toBe('');
  });

  it('leaves markers on the same line, exits 1, and --continue finishes once they are gone', async () => {
    const repo = await onboard();
    editFile(repo, CHECKLIST, (t) =>
      t.replace(CHECKLIST_LINE, 'Check only the sections the payments team cares about.'),
    );
    commit(repo, 'team edit');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /conflict\s+\| \.claude\/skills\/review-change\/checklist\.md\s+\| 1 conflict region/,
    );
    expect(result.stdout).toContain('spine update --continue');
    const text = read(repo, CHECKLIST);
    expect(text).toContain('<<<<<<< ours\nCheck only the sections the payments team cares about.\n');
    expect(text).toContain('||||||| base (spine v1.0.0)');
    expect(text).toContain('>>>>>>> theirs (spine v1.1.0)\n');
    expect(lockOf(repo).pending).toEqual([
      expect.objectContaining({ kind: 'text', path: CHECKLIST, regions: 1 }),
    ]);
    expect(git(repo, 'ls-files', '-u')).toBe('');

    const early = await update(repo, '--continue');
    expect(early.code).toBe(1);
    expect(early.stdout).toContain(CHECKLIST);
    const again = await update(repo);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('previous update is not finished');

    editFile(repo, CHECKLIST, (t) =>
      t.replace(/<<<<<<< ours\n([^\n]*\n)[\s\S]*?>>>>>>> theirs \(spine v1\.1\.0\)\n/, '$1'),
    );
    const done = await update(repo, '--continue');
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(lockOf(repo).pending).toBeUndefined();
    expect(existsSync(join(repo, '.spine/update'))).toBe(false);
  });

  it('keeps a deleted managed file deleted, and makes it a conflict when the new version changed it', async () => {
    const repo = await onboard();
    rmSync(join(repo, '.claude/skills/write-commit-message/SKILL.md'));
    rmSync(join(repo, '.claude/skills/handle-secrets/SKILL.md'));
    commit(repo, 'team deletes two skills');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/kept-deleted\s+\| \.claude\/skills\/write-commit-message\/SKILL\.md/);
    expect(result.stdout).toMatch(
      /conflict\s+\| \.claude\/skills\/handle-secrets\/SKILL\.md\s+\| deleted here/,
    );
    expect(existsSync(join(repo, '.claude/skills/write-commit-message/SKILL.md'))).toBe(false);
    expect(existsSync(join(repo, '.claude/skills/handle-secrets/SKILL.md'))).toBe(false);
    expect(
      (await runCli(['resolve', '.claude/skills/handle-secrets/SKILL.md', '--ours'], { cwd: repo })).code,
    ).toBe(0);
    expect(existsSync(join(repo, '.claude/skills/handle-secrets/SKILL.md'))).toBe(false);
    expect((await update(repo, '--continue')).code).toBe(0);
  });

  it("keeps a file the new version removes when the team edited it, as the team's", async () => {
    const repo = await onboard();
    editFile(repo, '.claude/skills/legacy-tool/SKILL.md', (t) => `${t}\nWe still use this.\n`);
    commit(repo, 'team edit');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/kept-team-owned\s+\| \.claude\/skills\/legacy-tool\/SKILL\.md/);
    expect(read(repo, '.claude/skills/legacy-tool/SKILL.md')).toContain('We still use this.');
    expect(lockOf(repo).files['.claude/skills/legacy-tool/SKILL.md']).toBeUndefined();
  });

  it('carries local edits of a renamed hook script to its new path and updates the hook command', async () => {
    const repo = await onboard();
    editFile(repo, OLD_SCRIPT, (t) => `${t}echo payments-extra\n`);
    editFile(repo, '.claude/settings.json', (t) => {
      const value = JSON.parse(t);
      value.hooks.Stop.push({
        hooks: [{ type: 'command', command: `sh "$CLAUDE_PROJECT_DIR/${OLD_SCRIPT}"` }],
      });
      return `${JSON.stringify(value, null, 2)}\n`;
    });
    commit(repo, 'team hook');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /renamed\s+\| \.claude\/skills\/lint-guard\/scripts\/check\.sh\s+\| moved from/,
    );
    expect(existsSync(join(repo, OLD_SCRIPT))).toBe(false);
    expect(read(repo, NEW_SCRIPT)).toBe('#!/bin/sh\necho check\necho payments-extra\n');
    const commands = settingsOf(repo).hooks.Stop.flatMap((g: any) => g.hooks.map((h: any) => h.command));
    expect(commands).toContain(`sh "$CLAUDE_PROJECT_DIR/${NEW_SCRIPT}"`);
    expect(JSON.stringify(settingsOf(repo))).not.toContain(OLD_SCRIPT);
  });

  it('merges and updates CRLF files in their own line endings', async () => {
    const repo = await onboard();
    const crlf = (t: string) => t.replace(/\r?\n/g, '\r\n');
    editFile(repo, REVIEW, (t) => crlf(t.replace('# Review a change', '# Review a change (payments)')));
    editFile(repo, CHECKLIST, crlf);
    commit(repo, 'team uses CRLF');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    const review = read(repo, REVIEW);
    expect(review).toContain('# Review a change (payments)\r\n');
    expect(review).toContain('Extra upstream line.\r\n');
    expect(review.replace(/\r\n/g, '')).not.toContain('\n');
    const checklist = read(repo, CHECKLIST);
    expect(checklist).toContain('Check every section, in order.');
    expect(checklist.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('never text-merges a binary file: ours stays, theirs is written beside it', async () => {
    const repo = await onboard();
    const logo = '.claude/skills/review-change/logo.png';
    const side = '.claude/skills/review-change/logo.spine-theirs.png';
    writeFileSync(join(repo, logo), LOGO_TEAM);
    commit(repo, 'team logo');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/conflict\s+\| \.claude\/skills\/review-change\/logo\.png\s+\| binary/);
    expect(readFileSync(join(repo, logo))).toEqual(LOGO_TEAM);
    expect(readFileSync(join(repo, side))).toEqual(LOGO_V2);
    expect((await runCli(['resolve', logo, '--theirs'], { cwd: repo })).code).toBe(0);
    expect(readFileSync(join(repo, logo))).toEqual(LOGO_V2);
    expect(existsSync(join(repo, side))).toBe(false);
    expect((await update(repo, '--continue')).code).toBe(0);
  });
});

describe('spine update: safety and versions', () => {
  it('refuses a dirty tree (exit 2, paths listed, nothing written) unless --allow-dirty', async () => {
    const repo = await onboard();
    editFile(repo, REVIEW, (t) => t.replace('# Review a change', '# Review a change (uncommitted)'));
    const before = snapshot(repo);

    const refused = await update(repo, '--to', 'v1.1.0');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('uncommitted changes');
    expect(refused.stderr).toContain(REVIEW);
    expect(refused.stdout).toBe('');
    expect(snapshot(repo)).toEqual(before);

    const allowed = await update(repo, '--to', 'v1.1.0', '--allow-dirty');
    expect(allowed.code).toBe(0);
    expect(read(repo, REVIEW)).toContain('# Review a change (uncommitted)');
    expect(read(repo, REVIEW)).toContain('Extra upstream line.');
  });

  it('--abort restores every file byte for byte', async () => {
    const repo = await onboard();
    editFile(repo, CHECKLIST, (t) => t.replace(CHECKLIST_LINE, 'Our own line.'));
    writeFileSync(join(repo, '.claude/skills/review-change/logo.png'), LOGO_TEAM);
    commit(repo, 'team edits');
    const before = snapshot(repo);

    const result = await update(repo);
    expect(result.code).toBe(1);
    expect(snapshot(repo)).not.toEqual(before);
    const aborted = await update(repo, '--abort');
    expect(aborted.stderr).toBe('');
    expect(aborted.code).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('jumps over two versions to the latest release with both changelog sections', async () => {
    const repo = await onboard();
    editFile(repo, REVIEW, (t) => t.replace('# Review a change', '# Review a change (payments)'));
    commit(repo, 'team edit');

    const result = await update(repo);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('v1.0.0 → v1.2.0');
    const changelog = result.stdout.slice(0, result.stdout.indexOf('STATUS'));
    expect(changelog.indexOf('## 1.2.0')).toBeGreaterThan(0);
    expect(changelog.indexOf('## 1.1.0')).toBeGreaterThan(changelog.indexOf('## 1.2.0'));
    expect(changelog).not.toContain('## 1.0.0');
    expect(result.stdout).toMatch(/added\s+\| \.claude\/skills\/new-skill\/SKILL\.md/);
    const text = read(repo, REVIEW);
    expect(text).toContain('# Review a change (payments)');
    expect(text).toContain('Extra upstream line.\n\nSecond upstream line.\n');
    expect(lockOf(repo).spine.version).toBe('1.2.0');
    expect(lockOf(repo).source.ref).toBe('v1.2.0');
    const second = await update(repo, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).files).toEqual([]);
  });
});
