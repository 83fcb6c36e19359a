import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { selectLaunchDirs } from '../../src/core/launch-dirs/select.js';
import { declaredMembers as declaredWith } from '../../src/core/launch-dirs/workspace-manifests.js';

const declaredMembers = (files: Record<string, string>) =>
  declaredWith(files, { yaml: parseYaml, toml: parseToml });

const paths = (
  files: Record<string, string>,
  listing: string[],
  extra: Partial<Parameters<typeof selectLaunchDirs>[0]> = {},
) => {
  const { declared } = declaredMembers(files);
  return selectLaunchDirs({ declared, files: listing, ...extra });
};

describe('workspace manifests', () => {
  it('reads every kind of workspace', () => {
    const { declared, problems } = declaredMembers({
      'package.json': JSON.stringify({ workspaces: ['packages/*', '!packages/skip'] }),
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n',
      'lerna.json': '{"packages":["libs/*"]}',
      'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/old"]\n',
      'go.work': 'go 1.22\nuse (\n  ./svc/a\n  ./svc/b // comment\n)\nuse ./tools\n',
      'pyproject.toml': '[tool.uv.workspace]\nmembers = ["py/*"]\n',
      'settings.gradle.kts': 'include(":android:app", ":core")\n',
      'pom.xml': '<project><modules><module>api</module><!-- <module>gone</module> --></modules></project>',
    });
    expect(problems).toEqual([]);
    expect(Object.fromEntries(declared.map((d) => [d.file, [d.include, d.exclude]]))).toEqual({
      'package.json': [['packages/*'], ['packages/skip']],
      'pnpm-workspace.yaml': [['apps/*'], []],
      'lerna.json': [['libs/*'], []],
      'Cargo.toml': [['crates/*'], ['crates/old']],
      'go.work': [['svc/a', 'svc/b', 'tools'], []],
      'pyproject.toml': [['py/*'], []],
      'settings.gradle.kts': [['android/app', 'core'], []],
      'pom.xml': [['api'], []],
    });
  });

  it('names a manifest it cannot read and a member outside the repository', () => {
    const { problems } = declaredMembers({
      'package.json': '{ nope',
      'Cargo.toml': '[workspace]\nmembers = ["../elsewhere"]\n',
    });
    expect(problems.map((p) => [p.code, p.file])).toEqual([
      ['workspace-manifest-invalid', 'package.json'],
      ['launch-dir-outside', 'Cargo.toml'],
    ]);
  });
});

describe('selecting launch directories', () => {
  const listing = [
    'package.json',
    'packages/api/package.json',
    'packages/web/package.json',
    'packages/skip/package.json',
    'packages/api/node_modules/x/package.json',
    'tools/cli/CLAUDE.md',
    'docs/guide/.claude/settings.json',
    '.claude/skills/a/SKILL.md',
    'crates/core/Cargo.toml',
  ];
  it('finds members and marker directories, never dependencies or the root', () => {
    const s = paths(
      {
        'package.json': JSON.stringify({ workspaces: ['packages/*', '!packages/skip'] }),
        'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n',
      },
      listing,
    );
    expect(s.dirs).toEqual([
      { path: 'crates/core', reasons: ['Cargo workspace member (Cargo.toml)'] },
      { path: 'docs/guide', reasons: ['own .claude/'] },
      { path: 'packages/api', reasons: ['npm/yarn workspace (package.json)'] },
      { path: 'packages/web', reasons: ['npm/yarn workspace (package.json)'] },
      { path: 'tools/cli', reasons: ['own CLAUDE.md'] },
    ]);
  });

  it('adds and excludes what .spine/local.yaml says, and names what it skipped', () => {
    const s = paths({}, listing, { config: { add: ['packages/*'], exclude: ['packages/web', 'tools/**'] } });
    expect(s.dirs.map((d) => d.path)).toEqual(['docs/guide', 'packages/api', 'packages/skip']);
    expect(s.skipped).toEqual([
      { path: 'packages/web', reason: 'excluded in .spine/local.yaml' },
      { path: 'tools/cli', reason: 'excluded in .spine/local.yaml' },
    ]);
  });

  it('skips a member that is a symbolic link out of the repository, naming it', () => {
    const s = paths(
      { 'package.json': '{"workspaces":["packages/*"]}' },
      ['packages/api/package.json', 'packages/evil'],
      {
        linkOf: (p) => (p === 'packages/evil' ? 'outside' : undefined),
      },
    );
    expect(s.dirs.map((d) => d.path)).toEqual(['packages/api']);
    expect(s.skipped).toEqual([{ path: 'packages/evil', reason: 'a symbolic link out of the repository' }]);
  });

  it('reports a glob that matches more directories than the cap', () => {
    const many = Array.from({ length: 1200 }, (_, i) => `pkgs/p${i}/package.json`);
    const s = paths({ 'package.json': '{"workspaces":["pkgs/*"]}' }, many);
    expect(s.overCap).toEqual({ count: 1200, max: 500 });
    expect(
      paths({ 'package.json': '{"workspaces":["pkgs/*"]}' }, many, { config: { max: 2000 } }).overCap,
    ).toBeUndefined();
  });
});
