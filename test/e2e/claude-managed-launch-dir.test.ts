import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaudeRun, claudeHome, runClaude, trustWorkspace } from '../helpers/claude.js';
import { gitdir, tempDir, writeTree } from '../helpers/gitdir.js';
import { canMountPrivately, managedWrapper } from '../helpers/managed-settings.js';
import { type ModelServer, startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * What managed settings reach in a monorepo (docs/export.md): the file `spine export
 * managed-settings` writes, installed as the machine's managed settings, and a session started in
 * a package that has no project settings of its own (a launch directory spine does not know yet).
 * Managed settings apply in every directory; their rules anchor where the session starts.
 */

describe.skipIf(!canMountPrivately())(
  'managed settings in a launch directory without project settings',
  () => {
    let model: ModelServer;
    let run: ClaudeRun;
    let secrets: { root: string; api: string };
    let repo: string;

    beforeAll(async () => {
      secrets = {
        root: `sk-root-${randomBytes(10).toString('hex')}`,
        api: `sk-api-${randomBytes(10).toString('hex')}`,
      };
      repo = gitdir({
        'package.json': '{"name":"mono","private":true,"workspaces":["packages/*"]}\n',
        'packages/api/package.json': '{"name":"api"}\n',
        '.gitignore': '.env\n',
      });
      writeTree(repo, { '.env': `TOKEN=${secrets.root}\n`, 'packages/api/.env': `TOKEN=${secrets.api}\n` });
      const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
      expect(init.code, init.stderr).toBe(0);
      rmSync(join(repo, 'packages/api/.claude'), { recursive: true });
      const exported = await runCli(['export', 'managed-settings'], { cwd: repo });
      expect(exported.code, exported.stderr).toBe(0);
      const file = join(tempDir('spine-managed-'), 'managed-settings.json');
      writeFileSync(file, exported.stdout);

      model = await startModelServer({
        main: [
          { tools: [{ name: 'Bash', input: { command: 'cat .env', description: 'env' }, id: 'own_bash' }] },
          {
            tools: [
              { name: 'Bash', input: { command: 'cat ../../.env', description: 'env' }, id: 'root_bash' },
            ],
          },
          {
            tools: [{ name: 'Read', input: { file_path: join(repo, 'packages/api/.env') }, id: 'own_read' }],
          },
          { tools: [{ name: 'Read', input: { file_path: join(repo, '.env') }, id: 'root_read' }] },
          { text: 'done' },
        ],
      });
      const cwd = join(repo, 'packages/api');
      const home = claudeHome();
      trustWorkspace(home, cwd);
      run = await runClaude({
        prompt: 'Look at the configuration.',
        cwd,
        home,
        bin: managedWrapper(file),
        baseUrl: model.baseUrl,
        args: ['--allowedTools', 'Bash', 'Read'],
        timeoutMs: 150_000,
      });
    }, 240_000);

    afterAll(async () => {
      await model?.close();
    });

    it("holds the package's own secret but not the root's: the exported rules anchor at the launch directory", () => {
      expect(run.code, run.stderr).toBe(0);
      const refused = Object.fromEntries(model.toolResults('main').map((r) => [r.toolUseId, r.isError]));
      expect(refused).toEqual({ own_bash: true, own_read: true, root_bash: false, root_read: false });
      expect(model.leaks(secrets.api)).toEqual([]);
      // What docs/export.md warns about: from a package with no project settings, the root's secret
      // reaches the model. Spine's per-directory settings (docs/monorepos.md) close this.
      expect(model.leaks(secrets.root).length).toBeGreaterThan(0);
    });
  },
);
