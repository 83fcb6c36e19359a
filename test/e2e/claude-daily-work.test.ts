import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runClaude } from '../helpers/claude.js';
import { git, writeTree } from '../helpers/gitdir.js';
import { startModelServer, type ToolUse } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';
import { auditLines } from '../hooks/run-hook.js';

// A day of ordinary work in an npm repo, with the real client and its OS sandbox on: a clean
// `git status`, an edit, `git add -A`, a commit, `npm ci` from a vendored tarball (offline) and
// `npm test`. With spine's settings it all works; the same session with the toolchain group's
// paths removed from the sandbox breaks `npm ci` on the read-only ~/.npm, and the hook records that
// as friction — so the test can fail. Home and repository live under /var/tmp: /tmp is writable
// inside the sandbox (sandbox-temp-files) and would hide the breakage.

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function varTmp(prefix: string): string {
  const dir = mkdtempSync(join('/var/tmp', prefix));
  made.push(dir);
  return dir;
}

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
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'Test');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'commit.gpgsign', 'false');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'initial');
  return repo;
}

const bash = (command: string, id: string): ToolUse => ({
  name: 'Bash',
  input: { command, description: id },
  id,
});
const DAY: ToolUse[] = [
  bash('git status --porcelain', 'status'),
  bash("echo '// edited' >> index.js", 'edit'),
  bash('git add -A && git status --porcelain', 'add'),
  bash("git commit -qm 'edit index' && git log --oneline -1", 'commit'),
  bash('npm ci --offline --no-audit --no-fund', 'ci'),
  bash('npm test', 'test'),
];

async function day(toolchains: boolean) {
  const repo = npmRepo();
  const init = await runCli(['init', '--team', 'web', '--champion', '@lead', '--yes'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  expect(init.stdout).toContain('toolchain-npm');
  const settingsFile = join(repo, '.claude/settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  if (!toolchains) {
    // The spine without its toolchain groups: no home cache is writable.
    settings.sandbox.filesystem.allowWrite = settings.sandbox.filesystem.allowWrite.filter(
      (p: string) => !p.startsWith('~/'),
    );
    writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'spine');
  const home = varTmp('spine-daily-home-');
  mkdirSync(join(home, '.claude'));
  const server = await startModelServer({ main: [...DAY.map((t) => ({ tools: [t] })), { text: 'done' }] });
  try {
    const run = await runClaude({
      prompt: 'Do the day’s work.',
      cwd: repo,
      baseUrl: server.baseUrl,
      home,
      args: ['--allowedTools', 'Bash'],
      timeoutMs: 240_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const results = new Map(server.toolResults('main').map((r) => [r.toolUseId, r]));
    return { repo, result: (id: string) => results.get(id) ?? { isError: true, text: '<no result>' } };
  } finally {
    await server.close();
  }
}

describe('daily work in an npm repository with the sandbox on', () => {
  it('works with the toolchain group; without it npm ci breaks and is recorded as friction', async () => {
    const [on, off] = await Promise.all([day(true), day(false)]);

    for (const id of ['status', 'edit', 'add', 'commit', 'ci', 'test'])
      expect(on.result(id).isError, `${id}: ${on.result(id).text}`).toBe(false);
    // Clean: no phantom entries for the names the sandbox masks.
    expect(on.result('status').text.trim()).toMatch(/^(|\(Bash completed with no output\))$/);
    expect(on.result('add').text).toContain('M  index.js');
    expect(on.result('commit').text).toContain('edit index');
    expect(on.result('test').text).toContain('1 test passed');
    expect(git(on.repo, 'log', '--format=%s', '-1').trim()).toBe('edit index');

    // The same day without the toolchain group: git still works, npm does not.
    expect(off.result('commit').isError).toBe(false);
    expect(off.result('ci').isError).toBe(true);
    // npm cannot create its cache under the read-only home (ENOENT when ~/.npm is not in the
    // sandbox's view, EROFS when it is but read-only).
    expect(off.result('ci').text).toMatch(/(ENOENT|EROFS)[^\n]*\.npm\/_cacache/);
    expect(auditLines(off.repo).find((l) => l.friction)?.friction).toMatchObject({
      layer: 'sandbox',
      kind: 'write',
      class: '~/.npm',
    });
    expect(auditLines(on.repo).some((l) => l.friction)).toBe(false);
  }, 300_000);
});
