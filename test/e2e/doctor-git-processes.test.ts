import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onboarded, onboardOnce } from '../helpers/doctor-repo.js';
import { loggingGit } from '../helpers/git-calls.js';
import { git, gitdir, varTmp, writeTree } from '../helpers/gitdir.js';
import { runCli, TEST_PATH } from '../helpers/run-cli.js';
import { releasedSpine } from '../helpers/spine-copy.js';

// Doctor lists the repository's files with one git process, started before doctor's own code is
// loaded (src/doctor-main.ts), and takes that listing once (src/team/git-status-files.ts). On a
// git spine a warm doctor starts no other git process: the cached clone's refs are read from its
// packed-refs (spine/sources/packed-refs.ts), the locked commit is known to be there when a ref
// points at it, and its files come from the commit-tree memo.

onboardOnce();

function doctorWithGitLog(cwd: string, args: string[] = ['--offline'], env: Record<string, string> = {}) {
  // Whether a spine writer holds the repository when git runs.
  const log = loggingGit(TEST_PATH, `[ -e '${cwd}/.spine/txn/writer.lock' ] && echo writer`);
  return runCli(['doctor', '--json', ...args], {
    cwd,
    env: { ...env, PATH: `${log.dir}:${TEST_PATH}` },
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
    const run = await doctorWithGitLog(repo, ['--offline', '--fix']);
    expect(run.code, run.stderr).toBeLessThan(2);
    expect(JSON.parse(run.stdout).fixed.length).toBeGreaterThan(0);
    // Every listing ran while the writer lock was held: the line before it says so.
    expect(run.listings.length).toBeGreaterThanOrEqual(1);
    for (const listing of run.listings) expect(run.calls[run.calls.indexOf(listing) - 1]).toBe('writer');
  }, 60_000);

  it("on a git spine, warm: the listing alone; the clone's refs come from its packed-refs", async () => {
    const spine = releasedSpine();
    const env = { XDG_CACHE_HOME: varTmp('spine-cache-') };
    const repo = gitdir({ 'README.md': '# app\n' });
    // A URL, as an organisation's spine is: read from spine's cached clone of it.
    const init = ['init', '--spine', pathToFileURL(spine).href, '--team', 't', '--champion', 'c', '--yes'];
    expect((await runCli(init, { cwd: repo, env })).code).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'onboard');
    expect((await runCli(['doctor', '--offline'], { cwd: repo, env })).code).toBe(0);
    const warm = await doctorWithGitLog(repo, undefined, env);
    expect(warm.code, warm.stderr).toBe(0);
    const commands = (calls: string[]) =>
      calls.map((call) => call.replace(/^.*?: (-c \S+ )*(--git-dir \S+ )?/, ''));
    expect(commands(warm.calls)).toEqual([
      'ls-files -z -t --cached --others --exclude-standard --with-tree=HEAD',
    ]);

    // A release lands: the fetch writes its tag as a file of its own, which spine packs, so the
    // next doctor reads the refs without git again, and still sees the release.
    const yaml = readFileSync(join(spine, 'spine.yaml'), 'utf8');
    writeTree(spine, { 'spine.yaml': yaml.replace('version: 1.0.0', 'version: 1.1.0') });
    git(spine, 'commit', '-qam', 'v1.1.0');
    git(spine, 'tag', '-a', '-m', 'release', 'v1.1.0');
    const fetched = await doctorWithGitLog(repo, [], env);
    expect(commands(fetched.calls)).toContain('pack-refs --all --prune');
    expect(commands(fetched.calls)).not.toContain(expect.stringMatching(/^for-each-ref/));
    const codes = (stdout: string) => JSON.parse(stdout).findings.map((f: { code: string }) => f.code);
    expect(codes(fetched.stdout)).toEqual(['update-available']);
    const again = await doctorWithGitLog(repo, [], env);
    expect(commands(again.calls).filter((c) => /^(for-each-ref|pack-refs)/.test(c))).toEqual([]);
    expect(again.stdout).toEqual(fetched.stdout);
  }, 60_000);
});
