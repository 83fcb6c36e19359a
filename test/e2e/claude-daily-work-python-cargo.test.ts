import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { git, initRepo, varTmp, writeTree } from '../helpers/gitdir.js';
import type { ToolUse } from '../helpers/model-server.js';
import { bash, dailySession, type ScriptedSession } from '../helpers/scripted-session.js';
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
  return initRepo(repo);
}

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

const day = (toolchains: boolean) =>
  dailySession(polyglotRepo(), [...DAY, DETOURS], {
    team: 'data',
    groups: ['toolchain-pip', 'toolchain-cargo'],
    toolchains,
    home: { '.aws/credentials': `[default]\nkey=${SECRETS.aws}\n` },
    env: { RUSTUP_HOME },
    timeoutMs: 360_000,
  });
const leaks = (session: ScriptedSession) => Object.values(SECRETS).flatMap((s) => session.leaks(s));

describe(`daily work in a Python (venv, pip, ${PYTEST ? 'pytest' : 'unittest'}) and Cargo repository with the sandbox on`, () => {
  it('works with the toolchain groups and leaks nothing; without them pip and cargo break, recorded as friction', async () => {
    const [on, off] = await Promise.all([day(true), day(false)]);

    for (const tool of DAY) expect(on.failed(tool.id!), `${tool.id}: ${on.result(tool.id!)}`).toBe(false);
    expect(on.result('status').trim()).toMatch(/^(|\(Bash completed with no output\))$/);
    expect(on.result('add')).toContain('M  src/greet/__init__.py');
    expect(on.result('add')).toContain('M  crates/util/src/lib.rs');
    expect(on.result('commit')).toContain('edit greet and util');
    expect(git(on.repo, 'log', '--format=%s', '-1').trim()).toBe('edit greet and util');
    expect(on.result('pip')).toContain('HELLO OK');
    expect(on.result('pytest')).toMatch(PYTEST ? /1 passed/ : /Ran 1 test[\s\S]*OK/);
    expect(on.result('test')).toContain('test tests::greets ... ok');
    expect(auditLines(on.repo).filter((l) => l.friction)).toEqual([]);

    // The same day without the toolchain groups: git still works, pip and cargo do not.
    expect(off.failed('commit')).toBe(false);
    expect(off.failed('pip')).toBe(true);
    expect(off.result('pip')).toMatch(/Read-only file system: '[^']*\/\.cache/);
    expect(off.failed('build')).toBe(true);
    expect(off.result('build')).toMatch(/\.cargo\/registry[\s\S]*Read-only file system/);
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
      expect(leaks(session)).toEqual([]);
      for (const detour of DETOURS) {
        expect(session.result(detour.id!)).not.toBe('<no result>');
        expect(session.result(detour.id!)).not.toMatch(/spinecanary/);
      }
    }
  }, 400_000);
});
