import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { git, gitdir, read, writeTree } from './gitdir.js';
import { EMBEDDED_SPINE, runCli } from './run-cli.js';
import { editFile } from './spine-copy.js';

/**
 * One spine repository with three tagged releases, each changing what the cases below need:
 * v1.1.0 edits a skill at its end and a checklist line, changes a binary, removes a skill,
 * moves a skill's hook script (declared in `renames`), replaces a deploy rule, drops the
 * curl-pipe guardrail and changes the telemetry endpoint; v1.2.0 adds a skill and edits again.
 */
let spine: string;
export const LOGO_V1 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]);
export const LOGO_V2 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 9, 9, 9]);
export const LOGO_TEAM = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 7, 7, 7]);
export const REVIEW = '.claude/skills/review-change/SKILL.md';
export const CHECKLIST = '.claude/skills/review-change/checklist.md';
export const CHECKLIST_LINE =
  'Check every section. A section that does not apply gets one line that says so.';
export const OLD_SCRIPT = '.claude/skills/lint-guard/hooks/check.sh';
export const NEW_SCRIPT = '.claude/skills/lint-guard/scripts/check.sh';
export const ENDPOINT = 'OTEL_EXPORTER_OTLP_ENDPOINT';

export const skill = (name: string, body: string) =>
  `---\nname: ${name}\ndescription: ${name} does one small thing for tests; use it when a test asks.\n---\n\n# ${name}\n\n${body}\n`;

function release(dir: string, version: string, notes: string): void {
  editFile(dir, 'spine.yaml', (t) => t.replace(/^version: .*$/m, `version: ${version}`));
  editFile(dir, 'CHANGELOG.md', (t) => t.replace('## 1.0.0', `## ${version}\n\n${notes}\n\n## 1.0.0`));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `release ${version}`);
  git(dir, 'tag', `v${version}`);
}

/** Call at the top of a test file: builds the tagged spine repository once for it. */
export function useTaggedSpine(): void {
  beforeAll(buildSpine);
}

function buildSpine(): void {
  spine = gitdir({}, 'spine-upstream-');
  cpSync(EMBEDDED_SPINE, spine, { recursive: true });
  writeTree(spine, {
    'skills/review-change/logo.png': LOGO_V1,
    'skills/legacy-tool/SKILL.md': skill('legacy-tool', 'Old ways.'),
    'skills/lint-guard/SKILL.md': skill('lint-guard', 'Runs hooks/check.sh before a commit.'),
    'skills/lint-guard/hooks/check.sh': '#!/bin/sh\necho check\n',
  });
  editFile(spine, 'guardrails/audit.yaml', (t) =>
    t.replace(
      'telemetry:\n  enabled: false',
      'telemetry:\n  enabled: true\n  endpoint: https://otel.example.com',
    ),
  );
  git(spine, 'add', '-A');
  git(spine, 'commit', '-q', '-m', 'v1.0.0');
  git(spine, 'tag', 'v1.0.0');

  editFile(spine, 'skills/review-change/SKILL.md', (t) => `${t}\nExtra upstream line.\n`);
  editFile(spine, 'skills/review-change/checklist.md', (t) =>
    t.replace(CHECKLIST_LINE, 'Check every section, in order. Say so when one does not apply.'),
  );
  editFile(spine, 'skills/handle-secrets/SKILL.md', (t) => `${t}\nUpstream secrets note.\n`);
  writeFileSync(join(spine, 'skills/review-change/logo.png'), LOGO_V2);
  rmSync(join(spine, 'skills/legacy-tool'), { recursive: true });
  rmSync(join(spine, 'skills/lint-guard/hooks'), { recursive: true });
  writeTree(spine, { 'skills/lint-guard/scripts/check.sh': '#!/bin/sh\necho check\n' });
  editFile(spine, 'spine.yaml', (t) => `${t}renames:\n  - from: ${OLD_SCRIPT}\n    to: ${NEW_SCRIPT}\n`);
  editFile(spine, 'guardrails/permissions.yaml', (t) =>
    t
      .replace('"Bash(fly deploy:*)"', '"Bash(flyctl deploy:*)"')
      .replace(/ {2}- id: no-curl-pipe-shell\n( {4}.*\n| {6}.*\n)*/, ''),
  );
  editFile(spine, 'guardrails/audit.yaml', (t) => t.replace('otel.example.com', 'otel2.example.com'));
  release(spine, '1.1.0', '### Changed\n\n- review-change gains a closing line.');

  writeTree(spine, { 'skills/new-skill/SKILL.md': skill('new-skill', 'Brand new.') });
  editFile(spine, 'skills/review-change/SKILL.md', (t) => `${t}\nSecond upstream line.\n`);
  release(spine, '1.2.0', '### Added\n\n- new-skill.');
}

/** A team repo onboarded at v1.0.0 and committed; `before` writes files ahead of init. */
export async function onboard(before: Record<string, string> = {}): Promise<string> {
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

export function commit(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

export const lockOf = (repo: string) => JSON.parse(read(repo, '.spine/lock.json'));
export const settingsOf = (repo: string) => JSON.parse(read(repo, '.claude/settings.json'));
export const update = (repo: string, ...args: string[]) => runCli(['update', ...args], { cwd: repo });
