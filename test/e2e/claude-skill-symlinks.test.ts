import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClaude } from '../helpers/claude.js';
import type { Report } from '../helpers/doctor-repo.js';
import { gitdir, tempDir, writeTree } from '../helpers/gitdir.js';
import { startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

// What the real client does with symlinked skill folders, and that doctor says the same:
// a link to a folder is followed wherever it points (inside the repo or out of it); a link to
// nothing or to a file is skipped without a word. docs/doctor.md records this.

const skill = (name: string, marker: string) =>
  `---\nname: ${name}\ndescription: Use when probing ${name}.\n---\n\n# ${name}\n\n${marker}\n`;

describe('Claude Code and symlinked skill folders', () => {
  it('loads a linked folder inside or outside the repo, skips broken links; doctor agrees', async () => {
    const repo = gitdir({ 'README.md': '# x\n' });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    const outside = tempDir('spine-outside-');
    writeTree(outside, { 'outside/SKILL.md': skill('outside', 'OUTSIDE-BODY') });
    writeTree(repo, { 'skills/inside/SKILL.md': skill('inside', 'INSIDE-BODY') });
    mkdirSync(join(repo, '.claude/skills'), { recursive: true });
    symlinkSync('../../skills/inside', join(repo, '.claude/skills/inside'));
    symlinkSync(join(outside, 'outside'), join(repo, '.claude/skills/outside'));
    symlinkSync('../../nope', join(repo, '.claude/skills/dangling'));
    symlinkSync('../../skills/inside/SKILL.md', join(repo, '.claude/skills/filelink'));

    const server = await startModelServer({
      main: [
        { tools: [{ name: 'Skill', input: { skill: 'inside' } }] },
        { tools: [{ name: 'Skill', input: { skill: 'outside' } }] },
        { tools: [{ name: 'Skill', input: { skill: 'dangling' } }] },
        { text: 'done' },
      ],
    });
    try {
      const run = await runClaude({
        prompt: 'go',
        cwd: repo,
        baseUrl: server.baseUrl,
        args: ['--allowedTools', 'Skill'],
      });
      expect(run.code, run.stderr).toBe(0);
      const results = server.toolResults('main');
      expect(results.map((r) => r.isError)).toEqual([false, false, true]);
      expect(results[2]!.text).toMatch(/Unknown skill: dangling/);
      // The skill bodies reached the model: read through the links.
      expect(server.everythingSent()).toContain('INSIDE-BODY');
      expect(server.everythingSent()).toContain('OUTSIDE-BODY');

      const entries = readdirSync(join(repo, '.claude/skills'));
      const loaded = entries.filter((name) => run.init?.skills.includes(name)).sort();
      expect(entries.filter((name) => !loaded.includes(name)).sort()).toEqual(['dangling', 'filelink']);

      const doc = await runCli(['doctor', '--json'], { cwd: repo });
      const findings = (JSON.parse(doc.stdout) as Report).findings;
      const broken = findings.filter((f) => f.code === 'skill-link-broken').map((f) => f.path.split('/')[2]);
      const local = findings.filter((f) => f.code === 'local-skill').map((f) => f.path.split('/')[2]);
      expect(broken.sort()).toEqual(['dangling', 'filelink']);
      expect(local.sort()).toEqual(['inside', 'outside']);
      // Everything else the client loaded from the folder is the spine's own.
      const managed = loaded.filter((name) => !local.includes(name));
      expect(managed.length).toBeGreaterThan(0);
      for (const name of managed) expect(findings.some((f) => f.path.includes(`/${name}`))).toBe(false);
    } finally {
      await server.close();
    }
  }, 120_000);
});
