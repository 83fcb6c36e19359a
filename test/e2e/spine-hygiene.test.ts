import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contribute, GITHUB_UPSTREAM, remoteBranches, setup } from '../helpers/contribute-setup.js';
import { git, gitdir, read, snapshot } from '../helpers/gitdir.js';
import { EMBEDDED_SPINE, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { spineCopy } from '../helpers/spine-copy.js';

describe('spine files and the skill scaffold', () => {
  it('points editor schema comments at the published package, so a copied spine keeps them', async () => {
    const version = JSON.parse(read(REPO_ROOT, 'package.json')).version;
    const files = [
      'spine.yaml',
      'glossary.yaml',
      'guardrails/permissions.yaml',
      'guardrails/secrets.yaml',
      'guardrails/audit.yaml',
    ];
    for (const file of files) {
      const first = read(EMBEDDED_SPINE, file).split('\n')[0]!;
      const m =
        /^# yaml-language-server: \$schema=https:\/\/unpkg\.com\/agent-spine@([^/]+)\/(schemas\/[\w.-]+\.json)$/.exec(
          first,
        );
      expect(m, `${file}: ${first}`).not.toBeNull();
      expect(m![1]).toBe(version);
      expect(existsSync(join(REPO_ROOT, m![2]!))).toBe(true);
    }
    const repo = gitdir({ 'README.md': '# x\n' });
    await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(read(repo, '.spine/local.yaml').split('\n')[0]).toBe(
      `# yaml-language-server: $schema=https://unpkg.com/agent-spine@${version}/schemas/local.schema.json`,
    );
  });

  it('rejects invalid UTF-8 in a spine YAML file, naming file and line', async () => {
    const spine = spineCopy((dir) => {
      const file = join(dir, 'guardrails', 'permissions.yaml');
      const lines = readFileSync(file).toString('utf8').split('\n');
      const bad = Buffer.concat([
        Buffer.from(`${lines.slice(0, 2).join('\n')}\n# caf`),
        Buffer.from([0xe9, 0x0a]), // Latin-1 "é": not UTF-8
        Buffer.from(lines.slice(2).join('\n')),
      ]);
      writeFileSync(file, bad);
    });
    const repo = gitdir({ 'README.md': '# x\n' });
    const before = snapshot(repo);
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--spine', spine], {
      cwd: repo,
    });
    expect(init.code).toBe(2);
    expect(init.stderr).toMatch(/guardrails\/permissions\.yaml:3: not valid UTF-8/);
    expect(snapshot(repo)).toEqual(before);
    const validate = await runCli(['validate', spine], { cwd: spine });
    expect(validate.code).not.toBe(0);
    expect(validate.stdout + validate.stderr).toMatch(/permissions\.yaml:3: error invalid-utf8/);
  });

  it('scaffolds a skill with no blank line after the opening ---', async () => {
    const repo = gitdir({ 'README.md': '# x\n' });
    expect((await runCli(['skill', 'new', 'flaky-triage'], { cwd: repo })).code).toBe(0);
    expect(read(repo, '.claude/skills/flaky-triage/SKILL.md')).toMatch(/^---\nname: flaky-triage\n/);
  });

  it('contribute refuses a skill that still holds the scaffold text', async () => {
    const s = await setup(GITHUB_UPSTREAM);
    expect((await runCli(['skill', 'new', 'half-done'], { cwd: s.team })).code).toBe(0);
    git(s.team, 'add', '-A');
    git(s.team, 'commit', '-qm', 'scaffold');
    const result = await contribute(s, ['half-done', '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/half-done\/SKILL\.md:\d+: .*placeholder text/);
    expect(result.stdout).not.toMatch(/validate: passed/);
    expect(remoteBranches(s.spine)).toEqual(['main']);
  }, 60_000);
});
