import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countWrites, hasStrace, runKilledAt } from '../helpers/crash.js';
import { git, gitdir, tempDir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

function copyRepo(from: string): string {
  const dir = tempDir('spine-interrupted-');
  cpSync(from, dir, { recursive: true });
  return dir;
}

/**
 * A spine command killed mid-write leaves its journal. Read-only doctor says so first (the other
 * findings may describe a half-written state) and changes nothing; doctor --fix recovers.
 */
describe.skipIf(!hasStrace)('doctor after a write was interrupted', () => {
  it('reports write-interrupted, leaves the journal, and --fix recovers', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const env = { XDG_CACHE_HOME: tempDir('spine-interrupted-cache-') };
    expect((await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo, env })).code).toBe(
      0,
    );
    // Three managed files gone: doctor --fix rewrites them; kill it at the rename of the second one
    // (the renames before the files are the seal outside the repo and the journal).
    for (const f of [
      '.claude/agents/change-reviewer.md',
      '.claude/skills/review-change/SKILL.md',
      '.claude/hooks/spine-policy.json',
    ])
      rmSync(join(repo, f));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'onboard');
    const args = ['doctor', '--fix'];
    // Counted twice: the first run also fills the spine cache, which the killed run then finds warm.
    await countWrites(args, copyRepo(repo), env);
    const renames = (await countWrites(args, copyRepo(repo), env)).rename;
    expect(renames).toBeGreaterThan(3);
    const killed = await runKilledAt(args, repo, env, 'rename', renames - 1);
    expect(killed.code).toBe(137);
    const journal = join(repo, '.spine/txn/journal.json');
    expect(existsSync(journal)).toBe(true);

    const looked = await runCli(['doctor', '--json'], { cwd: repo, env });
    expect(looked.code).toBe(1);
    const report = JSON.parse(looked.stdout);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        code: 'write-interrupted',
        severity: 'error',
        path: '.spine/txn/journal.json',
      }),
    );
    expect(existsSync(journal)).toBe(true);

    const fixed = await runCli(['doctor', '--fix', '--json'], { cwd: repo, env });
    expect(existsSync(journal)).toBe(false);
    expect(JSON.parse(fixed.stdout).findings.map((f: { code: string }) => f.code)).not.toContain(
      'write-interrupted',
    );
  });
});
