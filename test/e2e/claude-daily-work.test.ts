import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, initRepo, varTmp, writeTree } from '../helpers/gitdir.js';
import type { ToolUse } from '../helpers/model-server.js';
import { bash, dailySession } from '../helpers/scripted-session.js';
import { auditLines } from '../hooks/run-hook.js';

// A day of ordinary work in an npm repo, with the real client and its OS sandbox on: a clean
// `git status`, an edit, `git add -A`, a commit, `npm ci` from a vendored tarball (offline) and
// `npm test`. With spine's settings it all works; the same session with the toolchain group's
// paths removed from the sandbox breaks `npm ci` on the read-only ~/.npm, and the hook records that
// as friction — so the test can fail. Home and repository live under /var/tmp: /tmp is writable
// inside the sandbox (sandbox-temp-files) and would hide the breakage.

/** An npm project whose one dependency is a tarball in the repository: npm ci needs no network. */
function npmRepo(): string {
  const repo = varTmp('spine-daily-repo-');
  const pkg = varTmp('spine-daily-pkg-');
  writeTree(pkg, {
    'package/package.json': '{"name":"greet","version":"1.0.0","main":"index.js"}\n',
    'package/index.js': "module.exports = () => 'hi';\n",
  });
  mkdirSync(join(repo, 'vendor'));
  execFileSync('tar', ['-czf', join(repo, 'vendor/greet-1.0.0.tgz'), '-C', pkg, 'package']);
  writeTree(repo, {
    'package.json': `${JSON.stringify(
      {
        name: 'app',
        version: '1.0.0',
        private: true,
        scripts: { test: 'node test.js' },
        dependencies: { greet: 'file:vendor/greet-1.0.0.tgz' },
      },
      null,
      2,
    )}\n`,
    'index.js': "module.exports = require('greet');\n",
    'test.js': "if (require('./index.js')() !== 'hi') process.exit(1);\nconsole.log('1 test passed');\n",
    '.gitignore': 'node_modules/\n',
  });
  execFileSync('npm', ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund'], {
    cwd: repo,
    stdio: 'ignore',
  });
  return initRepo(repo);
}

const DAY: ToolUse[] = [
  bash('git status --porcelain', 'status'),
  bash("echo '// edited' >> index.js", 'edit'),
  bash('git add -A && git status --porcelain', 'add'),
  bash("git commit -qm 'edit index' && git log --oneline -1", 'commit'),
  bash('npm ci --offline --no-audit --no-fund', 'ci'),
  bash('npm test', 'test'),
];

const day = (toolchains: boolean) =>
  dailySession(npmRepo(), DAY, { team: 'web', groups: ['toolchain-npm'], toolchains });

describe('daily work in an npm repository with the sandbox on', () => {
  it('works with the toolchain group; without it npm ci breaks and is recorded as friction', async () => {
    const [on, off] = await Promise.all([day(true), day(false)]);

    for (const id of ['status', 'edit', 'add', 'commit', 'ci', 'test'])
      expect(on.failed(id), `${id}: ${on.result(id)}`).toBe(false);
    // Clean: no phantom entries for the names the sandbox masks.
    expect(on.result('status').trim()).toMatch(/^(|\(Bash completed with no output\))$/);
    expect(on.result('add')).toContain('M  index.js');
    expect(on.result('commit')).toContain('edit index');
    expect(on.result('test')).toContain('1 test passed');
    expect(git(on.repo, 'log', '--format=%s', '-1').trim()).toBe('edit index');

    // The same day without the toolchain group: git still works, npm does not.
    expect(off.failed('commit')).toBe(false);
    expect(off.failed('ci')).toBe(true);
    // npm cannot create its cache under the read-only home (ENOENT when ~/.npm is not in the
    // sandbox's view, EROFS when it is but read-only).
    expect(off.result('ci')).toMatch(/(ENOENT|EROFS)[^\n]*\.npm\/_cacache/);
    expect(auditLines(off.repo).find((l) => l.friction)?.friction).toMatchObject({
      layer: 'sandbox',
      kind: 'write',
      class: '~/.npm',
    });
    expect(auditLines(on.repo).some((l) => l.friction)).toBe(false);
  }, 300_000);
});
