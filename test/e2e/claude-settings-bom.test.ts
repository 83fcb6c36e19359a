import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runClaude } from '../helpers/claude.js';
import { gitdir, writeTree } from '../helpers/gitdir.js';
import { type ModelServer, startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * Claude Code 2.1.x strips a leading UTF-8 BOM before parsing a settings file, so spine accepts
 * one too (init, doctor and update alike) and keeps it. Checked against the real client: with a
 * BOM in .claude/settings.json, the spine's rules and hooks in that file are still in force.
 */
describe('the real client reads a settings.json that starts with a BOM', () => {
  let server: ModelServer | undefined;
  afterAll(async () => {
    await server?.close();
  });

  it('applies the spine entries init merged into it', { timeout: 180_000 }, async () => {
    const secret = `sk-bom-${randomBytes(10).toString('hex')}`;
    const repo = gitdir({
      'README.md': '# app\n',
      '.claude/settings.json': '\uFEFF{\n  "permissions": {\n    "allow": ["Bash(npm test)"]\n  }\n}\n',
    });
    writeTree(repo, { '.env': `API_TOKEN=${secret}\n` });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(join(repo, '.claude/settings.json'), 'utf8').startsWith('\uFEFF')).toBe(true);

    server = await startModelServer({
      main: [{ tools: [{ name: 'Read', input: { file_path: join(repo, '.env') } }] }, { text: 'finished' }],
    });
    const run = await runClaude({
      prompt: 'Read the environment file.',
      cwd: repo,
      baseUrl: server.baseUrl,
      args: ['--allowedTools', 'Read'],
    });
    expect(run.code, run.stderr).toBe(0);
    const [read] = server.toolResults('main');
    expect(read?.isError, read?.text).toBe(true);
    expect(server.leaks(secret)).toEqual([]);
  });
});
