import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claudeHome, runClaude } from '../helpers/claude.js';
import { git, gitdir, read, snapshot, tempDir } from '../helpers/gitdir.js';
import { type ModelServer, startModelServer } from '../helpers/model-server.js';
import { GIT_ENV, newSpineRepo, pioneerRepo } from '../helpers/pioneers.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * The loop's first arrow closed: a pioneer onboards onto the spine extracted from it and nothing
 * drifts, because what it already had is adopted, not copied over or refused.
 */

const cli = (args: string[], cwd: string) => runCli(args, { cwd, env: GIT_ENV });

const servers: ModelServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function extractInto(pioneer: string, spine: string): Promise<string> {
  const result = await cli(['extract', pioneer, '--into', spine, '--json'], tempDir());
  expect(result.code, result.stderr).toBe(0);
  const branch = JSON.parse(result.stdout).branch as string;
  git(spine, 'checkout', '-q', branch);
  return branch;
}

describe('a pioneer onboards onto the spine extracted from it', () => {
  it('adopts its own skills and rules, keeps a symlinked CLAUDE.md, doctor is clean, init twice changes nothing; Claude Code lists the skills', async () => {
    const spine = await newSpineRepo();
    const pioneer = pioneerRepo('biome');
    const branch = await extractInto(pioneer, spine);

    const init = await cli(
      ['init', '--spine', spine, '--ref', branch, '--team', 'biome', '--yes', '--json'],
      pioneer,
    );
    expect(init.code, init.stderr).toBe(0);
    const changes = JSON.parse(init.stdout).changes as { path: string; action: string; note: string }[];
    // The team's own skills become the spine's copies: same bytes plus the contributed-by mark.
    expect(
      changes
        .filter((c) => c.note.includes('adopted'))
        .map((c) => c.path)
        .sort(),
    ).toEqual(['.claude/skills/biome-code-review/SKILL.md', '.claude/skills/changeset/SKILL.md']);
    // Supporting files already identical: adopted as they are, not written.
    expect(changes.map((c) => c.path)).not.toContain(
      '.claude/skills/biome-code-review/references/workspace-access.md',
    );
    const lock = JSON.parse(read(pioneer, '.spine/lock.json'));
    expect(Object.keys(lock.files)).toContain(
      '.claude/skills/biome-code-review/references/workspace-access.md',
    );
    expect(read(pioneer, '.claude/skills/changeset/SKILL.md')).toContain('contributed-by: biome');
    // CLAUDE.md is a symlink to CONTRIBUTING.md in this repo: it stays one, the block lands in the target.
    expect(lstatSync(join(pioneer, 'CLAUDE.md')).isSymbolicLink()).toBe(true);
    expect(read(pioneer, 'CONTRIBUTING.md')).toContain('<!-- spine:begin -->');

    const doctor = await cli(['doctor', '--offline', '--json'], pioneer);
    expect(doctor.code, doctor.stdout).toBe(0);
    // The pioneer committed its personal settings file: doctor rightly says so, and nothing else.
    expect(
      JSON.parse(doctor.stdout)
        .findings.filter((f: { severity: string }) => f.severity !== 'info')
        .map((f: { code: string }) => f.code),
    ).toEqual(['local-settings-tracked']);

    const again = await cli(['init', '--spine', spine, '--ref', branch, '--yes', '--json'], pioneer);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).changes).toEqual([]);

    // The real client lists the extracted skills (and the spine's own) after init.
    const server = await startModelServer({ main: [{ text: 'done' }] });
    servers.push(server);
    const run = await runClaude({
      prompt: 'Say done.',
      cwd: pioneer,
      baseUrl: server.baseUrl,
      home: claudeHome(),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.init?.skills).toEqual(
      expect.arrayContaining(['biome-code-review', 'changeset', 'review-change']),
    );
  }, 180_000);

  it('adopts identical rules without doubling them; a file changed since extraction is a conflict and nothing is written', async () => {
    const skill =
      '---\nname: release-notes\ndescription: Writes release notes from merged pull requests.\n---\n\n# Release notes\n';
    const pioneer = gitdir(
      {
        '.claude/settings.json':
          '{\n  "permissions": {\n    "deny": ["Bash(rm -rf /*)", "Bash(git push --force:*)"],\n    "ask": ["Bash(docker push:*)"]\n  }\n}\n',
        '.claude/skills/release-notes/SKILL.md': skill,
        'CLAUDE.md':
          '# Payments\n\n## Glossary\n\n- Ledger: the append-only record of every payment event.\n',
      },
      'payments-',
    );
    const spine = await newSpineRepo();
    const branch = await extractInto(pioneer, spine);
    const permissions = read(spine, 'guardrails/permissions.yaml');
    expect(permissions).toContain('id: deny-bash-rm-rf');
    expect(permissions).toContain('id: ask-bash-docker-push');
    expect((await cli(['validate', spine], tempDir())).stdout).toContain('why-todo');

    // The team edits its skill after the extraction: init lists it as a conflict and writes nothing.
    writeFileSync(join(pioneer, '.claude/skills/release-notes/SKILL.md'), `${skill}\nOne more step.\n`);
    git(pioneer, 'commit', '-qam', 'edit');
    const before = snapshot(pioneer);
    const conflict = await cli(['init', '--spine', spine, '--ref', branch, '--yes'], pioneer);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr.trim().split('\n')[0]).toContain(
      '.claude/skills/release-notes/SKILL.md: 1 conflict(s)',
    );
    expect(snapshot(pioneer)).toEqual(before);

    git(pioneer, 'checkout', '-q', 'HEAD~1', '--', '.claude/skills/release-notes/SKILL.md');
    const init = await cli(['init', '--spine', spine, '--ref', branch, '--yes'], pioneer);
    expect(init.code, init.stderr).toBe(0);
    const settings = JSON.parse(read(pioneer, '.claude/settings.json'));
    for (const rule of ['Bash(rm -rf /*)', 'Bash(git push --force:*)']) {
      expect(settings.permissions.deny.filter((r: string) => r === rule)).toHaveLength(1);
    }
    expect(settings.permissions.ask.filter((r: string) => r === 'Bash(docker push:*)')).toHaveLength(1);
    const lock = JSON.parse(readFileSync(join(pioneer, '.spine/lock.json'), 'utf8'));
    expect(
      lock.settings.find((e: { key: string }) => e.key === 'permissions.deny:Bash(rm -rf /*)'),
    ).toMatchObject({
      id: 'deny-bash-rm-rf',
      level: 'default',
    });
    const doctor = await cli(['doctor', '--offline'], pioneer);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain('No drift');
  }, 120_000);
});
