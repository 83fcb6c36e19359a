import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onboarded, onboardOnce } from '../helpers/doctor-repo.js';
import { loggingGit } from '../helpers/git-calls.js';
import { git, writeTree } from '../helpers/gitdir.js';
import { runCli, TEST_PATH } from '../helpers/run-cli.js';

// Doctor lists the repository's files with one git process, started before doctor's own code is
// loaded (src/doctor-main.ts), and takes that listing once (src/team/git-status-files.ts).

onboardOnce();

function doctorWithGitLog(cwd: string, args: string[] = []) {
  // Whether a spine writer holds the repository when git runs.
  const log = loggingGit(TEST_PATH, `[ -e '${cwd}/.spine/txn/writer.lock' ] && echo writer`);
  return runCli(['doctor', '--offline', '--json', ...args], {
    cwd,
    env: { PATH: `${log.dir}:${TEST_PATH}` },
  }).then((result) => ({
    ...result,
    calls: log.calls(),
    listings: log.calls().filter((call) => call.includes(' ls-files ')),
  }));
}

describe("doctor's git listing", () => {
  it('is one git process, at the root, from a subdirectory too; the report is the one without the log', async () => {
    const repo = onboarded();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'onboard');
    writeTree(repo, { '.env': 'TOKEN=x\n', 'packages/web/index.js': '\n' });
    const web = join(repo, 'packages', 'web');
    for (const cwd of [repo, web]) {
      const run = await doctorWithGitLog(cwd);
      expect(run.listings).toEqual([
        `${repo}: ls-files -z -t --cached --others --exclude-standard --with-tree=HEAD`,
      ]);
      const plain = await runCli(['doctor', '--offline', '--json'], { cwd });
      expect(run.code).toBe(plain.code);
      expect(JSON.parse(run.stdout)).toEqual(JSON.parse(plain.stdout));
      expect(JSON.parse(run.stdout).findings.map((f: { code: string }) => f.code)).toContain(
        'secret-not-ignored',
      );
    }
  }, 60_000);

  it('--fix lists the repository only once it is the writer (after any recovery), never ahead', async () => {
    const repo = onboarded();
    writeTree(repo, { 'packages/api/CLAUDE.md': '# api\n' });
    const run = await doctorWithGitLog(repo, ['--fix']);
    expect(run.code, run.stderr).toBeLessThan(2);
    expect(JSON.parse(run.stdout).fixed.length).toBeGreaterThan(0);
    // Every listing ran while the writer lock was held: the line before it says so.
    expect(run.listings.length).toBeGreaterThanOrEqual(1);
    for (const listing of run.listings) expect(run.calls[run.calls.indexOf(listing) - 1]).toBe('writer');
  }, 60_000);
});
