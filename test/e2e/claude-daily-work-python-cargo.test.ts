import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runClaude } from '../helpers/claude.js';
import { git, writeTree } from '../helpers/gitdir.js';
import { startModelServer, type ToolUse } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';
import { auditLines } from '../hooks/run-hook.js';

// A day of ordinary work in a repository with a Python package and a Cargo workspace, with the
// real client and its OS sandbox on: a clean `git status`, an edit, `git add -A`, a commit, a venv
// with `pip install -e .` (its dependency an sdist pip builds into ~/.cache/pip), the Python tests,
// `cargo build --offline`, `cargo test --offline` and `cargo clippy` (a crate from a local registry
// in the repository, which cargo unpacks into ~/.cargo/registry; a path dependency beside it).
// Nothing comes from a network. With spine's settings it all works and the secret detours leak
// nothing; the same session with the toolchain groups' paths removed from the sandbox breaks pip
// on the read-only ~/.cache and cargo on the read-only ~/.cargo, recorded as friction — so the
// test can fail. Home and repository live under /var/tmp: /tmp is writable inside the sandbox
// and would hide the breakage.

const FIXTURE = fileURLToPath(new URL('../fixtures/daily-work/', import.meta.url));

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function varTmp(prefix: string): string {
  const dir = mkdtempSync(join('/var/tmp', prefix));
  made.push(dir);
  return dir;
}

/** Where rustup keeps its toolchains: the session's home is a fresh one, so it is named. */
const RUSTUP_HOME = process.env.RUSTUP_HOME ?? join(homedir(), '.rustup');

/**
 * The Python test runner: pytest when the interpreter the venv is made from has it (the venv sees
 * its site packages), else the standard library's unittest. PyPI is out of reach, so pytest cannot
 * be installed into the venv.
 */
const PYTEST = (() => {
  try {
    execFileSync('python3', ['-c', 'import pytest'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const PYTHON_TESTS = PYTEST
  ? '.venv/bin/python -m pytest -q tests'
  : '.venv/bin/python -m unittest discover -s tests -v';

const canary = () => `spinecanary-${randomBytes(6).toString('hex')}`;
const SECRETS = { root: canary(), sub: canary(), aws: canary() };

/** The Python package's dependency as an sdist: pip builds its wheel and caches it under ~/.cache/pip. */
function shoutSdist(into: string): void {
  const build = varTmp('spine-daily-sdist-');
  cpSync(join(FIXTURE, 'shout'), join(build, 'shout-1.0.0'), { recursive: true });
  cpSync(join(FIXTURE, 'backend.py'), join(build, 'shout-1.0.0/_build/backend.py'));
  mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-czf', join(into, 'shout-1.0.0.tar.gz'), '-C', build, 'shout-1.0.0']);
}

/**
 * A local registry holding one crate, `banner` (cargo's `local-registry` source: an index and the
 * .crate files), and the lock file that pins it.
 */
function bannerRegistry(repo: string): void {
  const build = varTmp('spine-daily-crate-');
  cpSync(join(FIXTURE, 'banner'), join(build, 'banner-1.0.0'), { recursive: true });
  const registry = join(repo, 'vendor/crates');
  mkdirSync(join(registry, 'index/ba/nn'), { recursive: true });
  const crate = join(registry, 'banner-1.0.0.crate');
  execFileSync('tar', ['-czf', crate, '-C', build, 'banner-1.0.0']);
  const cksum = createHash('sha256').update(readFileSync(crate)).digest('hex');
  const entry = { name: 'banner', vers: '1.0.0', deps: [], cksum, features: {}, yanked: false };
  writeFileSync(join(registry, 'index/ba/nn/banner'), `${JSON.stringify(entry)}\n`);
  execFileSync('cargo', ['generate-lockfile', '--offline', '--quiet'], {
    cwd: repo,
    env: { ...process.env, CARGO_HOME: varTmp('spine-daily-cargo-home-'), RUSTUP_HOME },
    stdio: 'ignore',
  });
}

function polyglotRepo(): string {
  const repo = varTmp('spine-daily-repo-');
  cpSync(join(FIXTURE, 'python'), repo, { recursive: true });
  cpSync(join(FIXTURE, 'backend.py'), join(repo, '_build/backend.py'));
  cpSync(join(FIXTURE, 'rust'), repo, { recursive: true });
  shoutSdist(join(repo, 'vendor/python'));
  bannerRegistry(repo);
  writeTree(repo, {
    '.gitignore': '.venv/\ntarget/\n__pycache__/\n.pytest_cache/\n.env\nconfig/.env\n',
    '.env': `K=${SECRETS.root}\n`,
    'config/.env': `K=${SECRETS.sub}\n`,
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
  bash("echo '# edited' >> src/greet/__init__.py && echo '// edited' >> crates/util/src/lib.rs", 'edit'),
  bash('git add -A && git status --porcelain', 'add'),
  bash("git commit -qm 'edit greet and util' && git log --oneline -1", 'commit'),
  bash(
    'python3 -m venv --system-site-packages .venv && .venv/bin/pip install -q --no-index --find-links vendor/python --no-build-isolation -e . && .venv/bin/python -c "import greet; print(greet.greet(\'ok\'))"',
    'pip',
  ),
  bash(PYTHON_TESTS, 'pytest'),
  bash('cargo build --offline', 'build'),
  bash('cargo test --offline', 'test'),
  bash('cargo clippy --offline -- -D warnings', 'lint'),
];
/** The secret detours of the sandbox tests, in the places a toolchain opened up. */
const DETOURS: ToolUse[] = [
  bash('cat .env', 'detour-root'),
  bash('cat config/.env', 'detour-sub'),
  bash('cat ~/.aws/credentials', 'detour-aws'),
  bash(`python3 -c "print(open('config/.env').read())"`, 'detour-python'),
  bash('mkdir -p ~/.cache/pip && cp .env ~/.cache/pip/k; cat ~/.cache/pip/k', 'detour-cache'),
  bash(
    'mkdir -p ~/.cargo/registry && cp config/.env ~/.cargo/registry/k; cat ~/.cargo/registry/k',
    'detour-cargo',
  ),
];

async function day(toolchains: boolean) {
  const repo = polyglotRepo();
  const init = await runCli(['init', '--team', 'data', '--champion', '@lead', '--yes'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  expect(init.stdout).toContain('toolchain-pip');
  expect(init.stdout).toContain('toolchain-cargo');
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
  writeTree(home, { '.claude/.keep': '', '.aws/credentials': `[default]\nkey=${SECRETS.aws}\n` });
  const server = await startModelServer({
    main: [...DAY.map((t) => ({ tools: [t] })), { tools: DETOURS }, { text: 'done' }],
  });
  try {
    const run = await runClaude({
      prompt: 'Do the day’s work.',
      cwd: repo,
      baseUrl: server.baseUrl,
      home,
      args: ['--allowedTools', 'Bash'],
      env: { RUSTUP_HOME },
      timeoutMs: 360_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const results = new Map(server.toolResults('main').map((r) => [r.toolUseId, r]));
    const leaks = Object.values(SECRETS).flatMap((s) => server.leaks(s));
    return {
      repo,
      leaks,
      result: (id: string) => results.get(id) ?? { isError: true, text: '<no result>' },
    };
  } finally {
    await server.close();
  }
}

describe(`daily work in a Python (venv, pip, ${PYTEST ? 'pytest' : 'unittest'}) and Cargo repository with the sandbox on`, () => {
  it('works with the toolchain groups and leaks nothing; without them pip and cargo break, recorded as friction', async () => {
    const [on, off] = await Promise.all([day(true), day(false)]);

    for (const tool of DAY)
      expect(on.result(tool.id!).isError, `${tool.id}: ${on.result(tool.id!).text}`).toBe(false);
    expect(on.result('status').text.trim()).toMatch(/^(|\(Bash completed with no output\))$/);
    expect(on.result('add').text).toContain('M  src/greet/__init__.py');
    expect(on.result('add').text).toContain('M  crates/util/src/lib.rs');
    expect(on.result('commit').text).toContain('edit greet and util');
    expect(git(on.repo, 'log', '--format=%s', '-1').trim()).toBe('edit greet and util');
    expect(on.result('pip').text).toContain('HELLO OK');
    expect(on.result('pytest').text).toMatch(PYTEST ? /1 passed/ : /Ran 1 test[\s\S]*OK/);
    expect(on.result('test').text).toContain('test tests::greets ... ok');
    expect(auditLines(on.repo).filter((l) => l.friction)).toEqual([]);

    // The same day without the toolchain groups: git still works, pip and cargo do not.
    expect(off.result('commit').isError).toBe(false);
    expect(off.result('pip').isError).toBe(true);
    expect(off.result('pip').text).toMatch(/Read-only file system: '[^']*\/\.cache/);
    expect(off.result('build').isError).toBe(true);
    expect(off.result('build').text).toMatch(/\.cargo\/registry[\s\S]*Read-only file system/);
    const friction = auditLines(off.repo).flatMap((l) => (l.friction ? [l.friction] : []));
    expect(friction).toContainEqual(
      expect.objectContaining({
        layer: 'sandbox',
        kind: 'write',
        class: expect.stringMatching(/^~\/\.cache/),
      }),
    );
    expect(friction).toContainEqual(
      expect.objectContaining({ layer: 'sandbox', kind: 'write', class: '~/.cargo/registry' }),
    );

    // The detours: a writable cache opens no secret, with or without the groups.
    for (const session of [on, off]) {
      expect(session.leaks).toEqual([]);
      for (const detour of DETOURS) {
        expect(session.result(detour.id!).text).not.toBe('<no result>');
        expect(session.result(detour.id!).text).not.toMatch(/spinecanary/);
      }
    }
  }, 400_000);
});
