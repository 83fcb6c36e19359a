import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitdir, read, snapshot, writeTree } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile, spineCopy } from '../helpers/spine-copy.js';

/**
 * Toolchain groups: init opens the caches and registries of the ecosystems whose manifests the
 * repo has (and ~/.cache everywhere), doctor checks them like any guardrail, update adds a group
 * for a manifest that appeared, and validate refuses a toolchain path that would open a secret.
 */

const settingsOf = (repo: string) => JSON.parse(read(repo, '.claude/settings.json'));
const allowWrite = (repo: string): string[] => settingsOf(repo).sandbox.filesystem.allowWrite;
const domains = (repo: string): string[] => settingsOf(repo).sandbox.network.allowedDomains;

async function init(repo: string, extra: string[] = []) {
  const r = await runCli(['init', '--yes', '--team', 'payments', '--champion', 'c', ...extra], { cwd: repo });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('toolchain groups', () => {
  it('init enables the groups whose manifests it finds, at the root and in a package folder', async () => {
    const repo = gitdir({
      'package.json': '{"name":"web"}\n',
      'services/api/pyproject.toml': '[project]\nname = "api"\n',
      'crates/core/Cargo.toml': '[package]\nname = "core"\n',
      // Never looked into: dependencies and hidden folders.
      'node_modules/x/pom.xml': '<project/>\n',
      '.github/go.mod': 'module x\n',
    });
    const r = await init(repo);
    expect(r.stdout).toContain('toolchains: toolchain-npm, toolchain-pip, toolchain-cargo, toolchain-cache');
    expect(allowWrite(repo)).toEqual([
      '//tmp',
      '~/.npm',
      '~/.cache/pip',
      '~/.cargo/registry',
      '~/.cargo/git',
      '~/.cache',
    ]);
    expect(domains(repo)).toContain('index.crates.io');
    expect(allowWrite(repo)).not.toContain('~/.m2/repository');
    expect(allowWrite(repo)).not.toContain('~/go/pkg/mod');
    const policy = JSON.parse(read(repo, '.claude/hooks/spine-policy.json'));
    expect(policy.sandbox.toolchainDirs).toEqual([
      '~/.npm',
      '~/.cache/pip',
      '~/.cargo/registry',
      '~/.cargo/git',
      '~/.cache',
    ]);
    const lock = JSON.parse(read(repo, '.spine/lock.json'));
    expect(lock.settings).toContainEqual(
      expect.objectContaining({
        key: 'sandbox.filesystem.allowWrite[]:~/.npm',
        id: 'toolchain-npm',
        level: 'default',
      }),
    );
    const doctor = await runCli(['doctor'], { cwd: repo });
    expect(doctor.stdout).toContain('No drift');
    expect(doctor.code).toBe(0);
  });

  it('a repo without manifests gets only the generic cache; a secret stays denied', async () => {
    const repo = gitdir({ 'README.md': '# docs\n' });
    await init(repo);
    expect(allowWrite(repo)).toEqual(['//tmp', '~/.cache']);
    const s = settingsOf(repo);
    expect(s.sandbox.filesystem.denyRead).toContain('**/.npmrc');
    expect(s.permissions.deny).toContain('Read(**/.npmrc)');
  });

  it('a team may narrow a group (stricter is never drift); update adds the group of a manifest that appeared', async () => {
    const repo = gitdir({ 'package.json': '{"name":"web"}\n' });
    await init(repo);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'spine');
    const doctor = await runCli(['doctor', '--json'], { cwd: repo });
    expect(JSON.parse(doctor.stdout).findings).toEqual([]);

    writeTree(repo, { 'go.mod': 'module example.com/x\n' });
    const update = await runCli(['update'], { cwd: repo });
    expect(update.code, update.stdout + update.stderr).toBe(0);
    expect(allowWrite(repo)).toEqual(['//tmp', '~/.npm', '~/.cache', '~/go/pkg/mod', '~/.cache/go-build']);
    expect(JSON.parse(read(repo, '.claude/hooks/spine-policy.json')).sandbox.toolchainDirs).toContain(
      '~/go/pkg/mod',
    );
    expect((await runCli(['doctor'], { cwd: repo })).stdout).toContain('No drift');
  });

  it('a spine adds an org registry to a group', async () => {
    const spine = spineCopy((d) =>
      editFile(d, 'guardrails/toolchains.yaml', (t) =>
        t.replace(
          'domains: [registry.npmjs.org]\n    level: default\n    why: npm keeps',
          'domains: [registry.npmjs.org, npm.internal.example.com]\n    level: default\n    why: npm keeps',
        ),
      ),
    );
    const repo = gitdir({ 'package.json': '{}\n' });
    await init(repo, ['--spine', spine]);
    expect(domains(repo)).toContain('npm.internal.example.com');
    expect(JSON.parse(read(repo, '.spine/lock.json')).settings).toContainEqual(
      expect.objectContaining({ value: 'npm.internal.example.com', id: 'toolchain-npm' }),
    );
  });

  const SECRET_PATHS: [string, RegExp][] = [
    ['~/.npmrc', /it is npm registry tokens/],
    ['~/.docker/config.json', /container registry credentials/],
    ['~/.docker', /it holds ~\/\.docker\/config\.json/],
    ['~/.cargo/credentials.toml', /crates\.io tokens/],
    ['~/.cargo', /it holds ~\/\.cargo\/credentials/],
    ['~/.m2/settings.xml', /Maven server passwords/],
    ['~/.config/gh', /the GitHub CLI token/],
    ['~/.config/gh/hosts.yml', /lies inside ~\/\.config\/gh/],
    ['~/.config', /it holds ~\/\.config\/gh/],
    ['~/.ssh/known_hosts', /lies inside ~\/\.ssh/],
    ['~/.local/bin', /programs on PATH/],
    ['~/.npm/**', /no wildcards/],
    ['//var/cache', /under the home directory/],
  ];
  it.each(SECRET_PATHS)(
    'validate refuses the toolchain path %s, init refuses the spine',
    async (path, why) => {
      const spine = spineCopy((d) =>
        editFile(d, 'guardrails/toolchains.yaml', (t) =>
          t.replace('write: ["~/.npm"]', `write: ["~/.npm", "${path}"]`),
        ),
      );
      const validate = await runCli(['validate', spine], { cwd: spine });
      expect(validate.code).toBe(1);
      const line = validate.stdout.split('\n').find((l) => l.includes('toolchain-secret-path'));
      expect(line).toMatch(/^guardrails\/toolchains\.yaml:\d+:\d+: error toolchain-secret-path /);
      expect(line).toContain(`"${path}" in toolchain-npm may not become writable in the sandbox`);
      expect(line).toMatch(why);
      const repo = gitdir({ 'package.json': '{}\n' });
      const before = snapshot(repo);
      const r = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--spine', spine], {
        cwd: repo,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/toolchains\.yaml:\d+:\d+: .*may not become writable/);
      expect(snapshot(repo)).toEqual(before);
    },
  );

  it("validate refuses a toolchain path that is one of the spine's own secrets", async () => {
    const spine = spineCopy((d) => {
      editFile(d, 'guardrails/secrets.yaml', (t) =>
        t.replace('"~/.netrc",', '"~/.netrc",\n        "~/.config/corp-registry/**",'),
      );
      editFile(d, 'guardrails/toolchains.yaml', (t) =>
        t.replace('write: ["~/.npm"]', 'write: ["~/.npm", "~/.config/corp-registry/cache"]'),
      );
    });
    const validate = await runCli(['validate', spine], { cwd: spine });
    expect(validate.stdout).toMatch(
      /toolchains\.yaml:\d+:\d+: error toolchain-secret-path .*lies inside ~\/\.config\/corp-registry \(a secret path of the spine/,
    );
    expect(validate.code).toBe(1);
  });
  // The launchers inside the caches the groups open (corepack, pre-commit, npx) and spine's own
  // stores are safe to open only while the same spine keeps them read-only in a locked guardrail.
  const LAUNCHERS_DENIED = '        - "~/.cache/node/corepack"\n        - "~/.cache/pre-commit"\n';
  const withoutPreCommitDeny = (d: string) =>
    editFile(d, 'guardrails/secrets.yaml', (t) =>
      t.replace(LAUNCHERS_DENIED, '        - "~/.cache/node/corepack"\n'),
    );
  const lineOf = (spine: string, text: string) =>
    readFileSync(join(spine, 'guardrails/toolchains.yaml'), 'utf8').split('\n').indexOf(text) + 1;

  it('validate refuses a group that opens a launcher directory no locked guardrail denies; init refuses the spine', async () => {
    const spine = spineCopy(withoutPreCommitDeny);
    const validate = await runCli(['validate', spine], { cwd: spine });
    expect(validate.code).toBe(1);
    const errors = validate.stdout.split('\n').filter((l) => l.includes(' error '));
    expect(errors).toEqual([
      `guardrails/toolchains.yaml:${lineOf(spine, '    write: ["~/.cache"]')}:14: error toolchain-launcher-path "~/.cache" in toolchain-cache may not become writable in the sandbox: it holds ~/.cache/pre-commit (pre-commit's hook environments, which "git commit" runs outside the sandbox) and no locked guardrail of the spine denies writes to ~/.cache/pre-commit; add it to a locked guardrail's sandbox denyWrite (as cache-launchers-read-only and spine-stores-read-only do), or list a narrower cache directory`,
    ]);
    const repo = gitdir({ 'package.json': '{}\n' });
    const before = snapshot(repo);
    const r = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--spine', spine], {
      cwd: repo,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/toolchains\.yaml:\d+:\d+: .*holds ~\/\.cache\/pre-commit/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('a deny at the default level is not enough: a team may waive it', async () => {
    const spine = spineCopy((d) =>
      editFile(d, 'guardrails/secrets.yaml', (t) =>
        t.replace(
          `${LAUNCHERS_DENIED}        - "~/.npm/_npx"\n    level: locked`,
          `${LAUNCHERS_DENIED}        - "~/.npm/_npx"\n    level: default`,
        ),
      ),
    );
    const validate = await runCli(['validate', spine], { cwd: spine });
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(
      /^guardrails\/toolchains\.yaml:\d+:\d+: error toolchain-launcher-path "~\/\.npm" in toolchain-npm .*it holds ~\/\.npm\/_npx \(the packages "npx <pkg>" runs/m,
    );
    expect(validate.stdout).toMatch(/"~\/\.cache" in toolchain-cache .*it holds ~\/\.cache\/node\/corepack/);
  });

  it("validate accepts the same write when the spine's own locked guardrail denies the launcher", async () => {
    const spine = spineCopy((d) => {
      withoutPreCommitDeny(d);
      editFile(d, 'guardrails/secrets.yaml', (t) =>
        t.replace(
          '  - id: cache-launchers-read-only\n',
          '  - id: org-pre-commit-read-only\n    settings:\n      denyWrite: ["~/.cache/pre-commit/"]\n    level: locked\n    why: git commit runs these.\n  - id: cache-launchers-read-only\n',
        ),
      );
    });
    const validate = await runCli(['validate', spine], { cwd: spine });
    expect(validate.stdout).not.toContain('toolchain-launcher-path');
    expect(validate.code, validate.stdout).toBe(0);
  });

  it("validate refuses a group that opens spine's own state store", async () => {
    const spine = spineCopy((d) =>
      editFile(d, 'guardrails/toolchains.yaml', (t) =>
        t.replace('write: ["~/.npm"]', 'write: ["~/.npm", "~/.local/state"]'),
      ),
    );
    // The default spine denies ~/.local/state/spine in spine-stores-read-only: accepted.
    const validate = await runCli(['validate', spine], { cwd: spine });
    expect(validate.code, validate.stdout).toBe(0);
    editFile(spine, 'guardrails/secrets.yaml', (t) => t.replace('        - "~/.local/state/spine"\n', ''));
    const again = await runCli(['validate', spine], { cwd: spine });
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(
      /toolchains\.yaml:\d+:\d+: error toolchain-launcher-path "~\/\.local\/state" in toolchain-npm .*it holds ~\/\.local\/state\/spine \(spine's transaction seals/,
    );
  });
});
