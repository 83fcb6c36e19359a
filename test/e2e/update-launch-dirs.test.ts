import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';
import { editFile } from '../helpers/spine-copy.js';
import { commit, lockOf, onboard, update, useTaggedSpine } from '../helpers/update-spine.js';

useTaggedSpine();

/** A monorepo: npm workspaces with two packages. */
const MONOREPO = {
  'package.json': `${JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }, null, 2)}\n`,
  'packages/api/package.json': '{"name":"api"}\n',
  'packages/web/package.json': '{"name":"web"}\n',
};
const API = 'packages/api/.claude/settings.json';
const WEB = 'packages/web/.claude/settings.json';
const json = (repo: string, path: string) => JSON.parse(read(repo, path));

describe('spine update: every launch directory, three-way', () => {
  it("reaches each package's settings, keeps a package-local team edit, and keeps launchDirs in the lock", async () => {
    const repo = await onboard(MONOREPO);
    expect(Object.keys(lockOf(repo).launchDirs)).toEqual(['packages/api', 'packages/web']);
    expect(json(repo, API).permissions.ask).toContain('Bash(fly deploy:*)');
    // The api team adds a rule of its own and removes the push gate in its package only.
    editFile(repo, API, (t) =>
      t
        .replace(/\s*"Bash\(git push:\*\)",/, '')
        .replace('"permissions": {', '"permissions": {\n    "allow": ["Bash(make test)"],'),
    );
    commit(repo, 'api team edits its settings');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const api = json(repo, API);
    expect(api.permissions.allow).toEqual(['Bash(make test)']);
    expect(api.permissions.ask).not.toContain('Bash(git push:*)');
    expect(api.permissions.ask).toContain('Bash(flyctl deploy:*)');
    expect(api.permissions.ask).not.toContain('Bash(fly deploy:*)');
    expect(api.permissions.deny).not.toContain('Bash(wget * | sh*)');
    const web = json(repo, WEB);
    expect(web.permissions.ask).toContain('Bash(git push:*)');
    expect(web.permissions.ask).toContain('Bash(flyctl deploy:*)');
    expect(web.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('https://otel2.example.com');
    // The hook command still runs the root's script from the package.
    expect(JSON.stringify(web.hooks)).toContain('$CLAUDE_PROJECT_DIR/../../.claude/hooks/');
    expect(result.stdout).toContain('packages/api/.claude/settings.json');
    expect(result.stdout).toContain(
      '= permissions.ask:Bash(git push:*) [gate-git-push]  removed here; stays removed',
    );
    expect(Object.keys(lockOf(repo).launchDirs)).toEqual(['packages/api', 'packages/web']);
  });

  it('leaves a conflict in a package for resolve, and writes a removed package settings file again', async () => {
    const repo = await onboard(MONOREPO);
    editFile(repo, API, (t) => t.replace('https://otel.example.com', 'https://otel.api.example'));
    rmSync(join(repo, WEB));
    commit(repo, 'api collector; web settings removed');

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(1);
    expect(lockOf(repo).pending).toEqual([
      expect.objectContaining({ kind: 'setting', path: API, ours: 'https://otel.api.example' }),
    ]);
    expect(json(repo, API).env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('https://otel.api.example');
    expect(json(repo, WEB).permissions.ask).toContain('Bash(flyctl deploy:*)');

    const resolved = await runCli(['resolve', API, '--theirs'], { cwd: repo });
    expect(resolved.code).toBe(0);
    expect(json(repo, API).env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('https://otel2.example.com');
    expect((await update(repo, '--continue')).code).toBe(0);
    expect(lockOf(repo).pending).toBeUndefined();
  });

  it('refuses a package settings file the client would drop, naming it, and writes nothing', async () => {
    const repo = await onboard(MONOREPO);
    editFile(repo, API, (t) => t.replace('{', '{\n  "model": 7,'));
    commit(repo, 'broken api settings');
    const before = read(repo, WEB);

    const result = await update(repo, '--to', 'v1.1.0');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(API);
    expect(read(repo, WEB)).toBe(before);
    expect(lockOf(repo).spine.version).toBe('1.0.0');
  });

  it('drops a package that is gone from the lock', async () => {
    const repo = await onboard(MONOREPO);
    rmSync(join(repo, 'packages/web'), { recursive: true });
    commit(repo, 'web removed');
    expect((await update(repo, '--to', 'v1.1.0')).code).toBe(0);
    expect(Object.keys(lockOf(repo).launchDirs)).toEqual(['packages/api']);
    expect(existsSync(join(repo, 'packages/web'))).toBe(false);
  });
});
