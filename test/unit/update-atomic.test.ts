import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { init } from '../../src/commands/init/index.js';
import { update } from '../../src/commands/update/index.js';
import { UserError } from '../../src/errors.js';
import { git, gitdir, snapshot, tempDir } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE } from '../helpers/run-cli.js';

const base = {
  json: false,
  color: false,
  interactive: false,
  env: {},
  cacheDir: '',
  stateDir: tempDir('spine-state-'),
  debug: false,
};
const flags = { dryRun: false, diff: false, allowDirty: false, offline: true, continue: false, abort: false };

/** A repo onboarded from a plain spine directory, which then moves to v1.1.0 with one skill edited. */
async function onboarded(): Promise<string> {
  const spine = tempDir('spine-dir-');
  cpSync(EMBEDDED_SPINE, spine, { recursive: true });
  const repo = gitdir({ 'README.md': '# app\n' });
  await init({ ...base, cwd: repo, spine, team: 't', champion: 'c', dryRun: false, offline: true });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'init');
  const manifest = join(spine, 'spine.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('version: 1.0.0', 'version: 1.1.0'));
  const skill = join(spine, 'skills/review-change/SKILL.md');
  writeFileSync(skill, `${readFileSync(skill, 'utf8')}\nNew line.\n`);
  return repo;
}

describe('update writes all or nothing', () => {
  it('puts every file back when a write fails halfway', async () => {
    const repo = await onboarded();
    const before = snapshot(repo);
    const failing = update(
      { ...base, ...flags, cwd: repo },
      {
        beforeWrite: (_path, index) => {
          if (index === 2) throw new Error('disk full');
        },
      },
    );
    await expect(failing).rejects.toThrow('disk full');
    expect(snapshot(repo)).toEqual(before);
    expect(existsSync(join(repo, '.spine/update'))).toBe(false);

    const result = await update({ ...base, ...flags, cwd: repo });
    expect(result.files.map((f) => f.status)).toContain('updated');
    expect(result.warnings.map((w) => w.code)).toContain('update-base-missing');
  });

  it('refuses settings that do not parse, naming the line, and writes nothing', async () => {
    const repo = await onboarded();
    writeFileSync(join(repo, '.claude/settings.json'), '{\n  "permissions": {,\n}\n');
    git(repo, 'commit', '-q', '-am', 'broken settings');
    const before = snapshot(repo);
    const error = await update({ ...base, ...flags, cwd: repo }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).location).toMatchObject({ file: '.claude/settings.json', line: 2 });
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses leftover conflict markers in a managed file', async () => {
    const repo = await onboarded();
    const path = join(repo, '.claude/skills/review-change/checklist.md');
    writeFileSync(path, `${readFileSync(path, 'utf8')}<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n`);
    git(repo, 'commit', '-q', '-am', 'markers');
    await expect(update({ ...base, ...flags, cwd: repo })).rejects.toThrow('conflict markers');
  });
});
