import { describe, expect, it } from 'vitest';
import { checkSkill } from '../../src/spine/skill-rules.js';
import { gitdir, read, snapshot } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

describe('spine skill new', () => {
  it('scaffolds a skill that passes the Agent Skills checks', async () => {
    const repo = gitdir();
    const description = 'Prepares a release. Use when cutting a release branch.';
    const result = await runCli(['skill', 'new', 'cut-release', '--description', description], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    const content = read(repo, '.claude/skills/cut-release/SKILL.md');
    const checked = checkSkill('cut-release', 'SKILL.md', Buffer.from(content));
    // Well-formed; only the body the author still has to write is flagged (contribute refuses it).
    expect(checked.problems.map((p) => p.code)).toEqual(['skill-placeholder']);
    expect(checked.description).toBe(description);
    expect(content).toContain('# Cut Release');
  });

  it.each([
    [['skill', 'new', 'Bad_Name'], /Bad_Name.*lowercase/],
    [['skill', 'new', '../escape'], /must be lowercase/],
    [['skill', 'new', 'ok', '--description', 'uses <html>'], /without < or >/],
  ])('refuses %j with exit 2 and writes nothing', async (args, message) => {
    const repo = gitdir({ 'README.md': 'x\n' });
    const before = snapshot(repo);
    const result = await runCli(args, { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(snapshot(repo)).toEqual(before);
  });

  it('never overwrites an existing skill', async () => {
    const repo = gitdir({ '.claude/skills/mine/SKILL.md': 'ours\n' });
    const result = await runCli(['skill', 'new', 'mine'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.claude/skills/mine/SKILL.md: skill already exists');
    expect(read(repo, '.claude/skills/mine/SKILL.md')).toBe('ours\n');
  });
});
