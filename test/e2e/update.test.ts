import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git, gitdir, read, snapshot, writeTree } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, runCli } from '../helpers/run-cli.js';

/**
 * One spine repository with three tagged releases, each changing what the cases below need:
 * v1.1.0 edits a skill at its end and a checklist line, changes a binary, removes a skill,
 * moves a skill's hook script (declared in `renames`), replaces a deploy rule, drops the
 * curl-pipe guardrail and changes the telemetry endpoint; v1.2.0 adds a skill and edits again.
 */
let spine: string;
const LOGO_V1 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]);
const LOGO_V2 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 9, 9, 9]);
const LOGO_TEAM = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 7, 7, 7]);
const REVIEW = '.claude/skills/review-change/SKILL.md';
const CHECKLIST = '.claude/skills/review-change/checklist.md';
const CHECKLIST_LINE = 'Check every section. A section that does not apply gets one line that says so.';
const OLD_SCRIPT = '.claude/skills/lint-guard/hooks/check.sh';
const NEW_SCRIPT = '.claude/skills/lint-guard/scripts/check.sh';
const ENDPOINT = 'OTEL_EXPORTER_OTLP_ENDPOINT';

const skill = (name: string, body: string) =>
  `---\nname: ${name}\ndescription: ${name} does one small thing for tests; use it when a test asks.\n---\n\n# ${name}\n\n${body}\n`;

function edit(dir: string, path: string, change: (text: string) => string): void {
  const file = join(dir, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`test setup: edit of ${path} changed nothing`);
  writeFileSync(file, after);
}

function release(dir: string, version: string, notes: string): void {
  edit(dir, 'spine.yaml', (t) => t.replace(/^version: .*$/m, `version: ${version}`));
  edit(dir, 'CHANGELOG.md', (t) => t.replace('## 1.0.0', `## ${version}\n\n${notes}\n\n## 1.0.0`));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `release ${version}`);
  git(dir, 'tag', `v${version}`);
}

beforeAll(() => {
  spine = gitdir({}, 'spine-upstream-');
  cpSync(EMBEDDED_SPINE, spine, { recursive: true });
  writeTree(spine, {
    'skills/review-change/logo.png': LOGO_V1,
    'skills/legacy-tool/SKILL.md': skill('legacy-tool', 'Old ways.'),
    'skills/lint-guard/SKILL.md': skill('lint-guard', 'Runs hooks/check.sh before a commit.'),
    'skills/lint-guard/hooks/check.sh': '#!/bin/sh\necho check\n',
  });
  edit(spine, 'guardrails/audit.yaml', (t) =>
    t.replace(
      'telemetry:\n  enabled: false',
      'telemetry:\n  enabled: true\n  endpoint: https://otel.example.com',
    ),
  );
  git(spine, 'add', '-A');
  git(spine, 'commit', '-q', '-m', 'v1.0.0');
  git(spine, 'tag', 'v1.0.0');

  edit(spine, 'skills/review-change/SKILL.md', (t) => `${t}\nExtra upstream line.\n`);
  edit(spine, 'skills/review-change/checklist.md', (t) =>
    t.replace(CHECKLIST_LINE, 'Check every section, in order. Say so when one does not apply.'),
  );
  edit(spine, 'skills/handle-secrets/SKILL.md', (t) => `${t}\nUpstream secrets note.\n`);
  writeFileSync(join(spine, 'skills/review-change/logo.png'), LOGO_V2);
  rmSync(join(spine, 'skills/legacy-tool'), { recursive: true });
  rmSync(join(spine, 'skills/lint-guard/hooks'), { recursive: true });
  writeTree(spine, { 'skills/lint-guard/scripts/check.sh': '#!/bin/sh\necho check\n' });
  edit(spine, 'spine.yaml', (t) => `${t}renames:\n  - from: ${OLD_SCRIPT}\n    to: ${NEW_SCRIPT}\n`);
  edit(spine, 'guardrails/permissions.yaml', (t) =>
    t
      .replace('"Bash(fly deploy:*)"', '"Bash(flyctl deploy:*)"')
      .replace(/ {2}- id: no-curl-pipe-shell\n( {4}.*\n| {6}.*\n)*/, ''),
  );
  edit(spine, 'guardrails/audit.yaml', (t) => t.replace('otel.example.com', 'otel2.example.com'));
  release(spine, '1.1.0', '### Changed\n\n- review-change gains a closing line.');

  writeTree(spine, { 'skills/new-skill/SKILL.md': skill('new-skill', 'Brand new.') });
  edit(spine, 'skills/review-change/SKILL.md', (t) => `${t}\nSecond upstream line.\n`);
  release(spine, '1.2.0', '### Added\n\n- new-skill.');
});

/** A team repo onboarded at v1.0.0 and committed; `before` writes files ahead of init. */
async function onboard(before: Record<string, string> = {}): Promise<string> {
  const repo = gitdir({ 'README.md': '# app\n', ...before });
  const init = await runCli(
    ['init', '--spine', spine, '--ref', 'v1.0.0', '--team', 'payments', '--champion', '@a', '--yes'],
    { cwd: repo },
  );
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  commit(repo, 'spine init');
  return repo;
}

function commit(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

const lockOf = (repo: string) => JSON.parse(read(repo, '.spine/lock.json'));
const settingsOf = (repo: string) => JSON.parse(read(repo, '.claude/settings.json'));
const update = (repo: string, ...args: string[]) => runCli(['update', ...args], { cwd: repo });

describe('spine update', () => {
  it('merges edits to different parts of a skill; --dry-run and --json write nothing', async () => {
    const repo = await onboard();
    edit(repo, REVIEW, (t) => t.replace('# Review a change', '# Review a change (payments)'));
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
    edit(repo, CHECKLIST, (t) =>
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

    edit(repo, CHECKLIST, (t) =>
      t.replace(/<<<<<<< ours\n([^\n]*\n)[\s\S]*?>>>>>>> theirs \(spine v1\.1\.0\)\n/, '$1'),
    );
    const done = await update(repo, '--continue');
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(lockOf(repo).pending).toBeUndefined();
    expect(existsSync(join(repo, '.spine/update'))).toBe(false);
  });

  it('keeps a rule the team removed when the new version keeps it, and replaces a changed rule in place', async () => {
    const repo = await onboard();
    edit(repo, '.claude/settings.json', (t) => t.replace(/\s*"Bash\(git push:\*\)",/, ''));
    commit(repo, 'team removes the push gate');
    const askBefore: string[] = settingsOf(repo).permissions.ask;

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '= permissions.ask:Bash(git push:*) [gate-git-push]  removed here; stays removed',
    );
    const ask: string[] = settingsOf(repo).permissions.ask;
    expect(ask).not.toContain('Bash(git push:*)');
    expect(ask.indexOf('Bash(flyctl deploy:*)')).toBe(askBefore.indexOf('Bash(fly deploy:*)'));
    expect(ask).not.toContain('Bash(fly deploy:*)');
  });

  it('makes a rule the team removed a conflict when the new version changes it; resolve --theirs takes it', async () => {
    const repo = await onboard();
    edit(repo, '.claude/settings.json', (t) => t.replace(/\s*"Bash\(fly deploy:\*\)",/, ''));
    commit(repo, 'team removes fly deploy');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('! permissions.ask:Bash(flyctl deploy:*) [gate-deploy]');
    expect(settingsOf(repo).permissions.ask).not.toContain('Bash(flyctl deploy:*)');
    expect(lockOf(repo).pending).toEqual([
      expect.objectContaining({ kind: 'setting', key: 'permissions.ask:Bash(flyctl deploy:*)', ours: null }),
    ]);

    const resolved = await runCli(['resolve', 'gate-deploy', '--theirs'], { cwd: repo });
    expect(resolved.code).toBe(0);
    expect(settingsOf(repo).permissions.ask).toContain('Bash(flyctl deploy:*)');
    expect((await update(repo, '--continue')).code).toBe(0);
  });

  it('never removes a rule the team owned before init when the new version drops it', async () => {
    const teamSettings = `${JSON.stringify({ permissions: { deny: ['Bash(curl * | sh*)'] } }, null, 2)}\n`;
    const repo = await onboard({ '.claude/settings.json': teamSettings });
    const owner = lockOf(repo).settings.find(
      (e: { key: string }) => e.key === 'permissions.deny:Bash(curl * | sh*)',
    );
    expect(owner.owner).toBe('team');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    const deny: string[] = settingsOf(repo).permissions.deny;
    expect(deny).toContain('Bash(curl * | sh*)');
    expect(deny).not.toContain('Bash(wget * | sh*)');
    expect(result.stdout).toContain('- permissions.deny:Bash(wget * | sh*)');
    expect(result.stdout).toContain('= permissions.deny:Bash(curl * | sh*)');
    expect(lockOf(repo).settings.some((e: { key: string }) => e.key.includes('curl'))).toBe(false);
  });

  it('keeps ours when env changed on both sides, records theirs, and resolve --theirs applies it', async () => {
    const repo = await onboard();
    expect(settingsOf(repo).env[ENDPOINT]).toBe('https://otel.example.com');
    edit(repo, '.claude/settings.json', (t) =>
      t.replace('https://otel.example.com', 'https://otel.payments.example'),
    );
    commit(repo, 'team collector');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`! env:${ENDPOINT}`);
    expect(settingsOf(repo).env[ENDPOINT]).toBe('https://otel.payments.example');
    expect(lockOf(repo).pending).toEqual([
      expect.objectContaining({
        kind: 'setting',
        key: `env:${ENDPOINT}`,
        ours: 'https://otel.payments.example',
        theirs: 'https://otel2.example.com',
      }),
    ]);
    expect((await runCli(['resolve', `env:${ENDPOINT}`, '--theirs'], { cwd: repo })).code).toBe(0);
    expect(settingsOf(repo).env[ENDPOINT]).toBe('https://otel2.example.com');
    expect((await update(repo, '--continue')).code).toBe(0);
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
    edit(repo, '.claude/skills/legacy-tool/SKILL.md', (t) => `${t}\nWe still use this.\n`);
    commit(repo, 'team edit');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/kept-team-owned\s+\| \.claude\/skills\/legacy-tool\/SKILL\.md/);
    expect(read(repo, '.claude/skills/legacy-tool/SKILL.md')).toContain('We still use this.');
    expect(lockOf(repo).files['.claude/skills/legacy-tool/SKILL.md']).toBeUndefined();
  });

  it('carries local edits of a renamed hook script to its new path and updates the hook command', async () => {
    const repo = await onboard();
    edit(repo, OLD_SCRIPT, (t) => `${t}echo payments-extra\n`);
    edit(repo, '.claude/settings.json', (t) => {
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
    edit(repo, REVIEW, (t) => crlf(t.replace('# Review a change', '# Review a change (payments)')));
    edit(repo, CHECKLIST, crlf);
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

  it('refuses a dirty tree (exit 2, paths listed, nothing written) unless --allow-dirty', async () => {
    const repo = await onboard();
    edit(repo, REVIEW, (t) => t.replace('# Review a change', '# Review a change (uncommitted)'));
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
    edit(repo, CHECKLIST, (t) => t.replace(CHECKLIST_LINE, 'Our own line.'));
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
    edit(repo, REVIEW, (t) => t.replace('# Review a change', '# Review a change (payments)'));
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
