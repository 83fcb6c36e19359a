import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaudeRun, runClaude } from '../helpers/claude.js';
import { gitdir, read, writeTree } from '../helpers/gitdir.js';
import { type ModelServer, startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * `.env.*` has no static deny rule, because Claude Code cannot make an exception to a deny and
 * `.env.example` must stay readable. The guard hook enforces it instead, for every tool. This
 * drives the real client through both sides of that line.
 */
describe('the real client and .env variants', () => {
  const secret = `sk-variant-${randomBytes(10).toString('hex')}`;
  const example = `EXAMPLE_PLACEHOLDER_${randomBytes(4).toString('hex')}`;
  let repo: string;
  let server: ModelServer;
  let run: ClaudeRun;

  beforeAll(async () => {
    repo = gitdir({ 'README.md': '# app\n' });
    writeTree(repo, { '.env.example': `API_TOKEN=${example}\n`, '.env.staging-eu': `API_TOKEN=${secret}\n` });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    server = await startModelServer({
      main: [
        { tools: [{ name: 'Read', input: { file_path: join(repo, '.env.example') } }] },
        { tools: [{ name: 'Read', input: { file_path: join(repo, '.env.staging-eu') } }] },
        { tools: [{ name: 'Bash', input: { command: 'cat .env.staging-eu', description: 'show it' } }] },
        {
          tools: [
            {
              name: 'Bash',
              input: { command: 'echo .env.staging-eu >> .gitignore', description: 'ignore it' },
            },
          ],
        },
        { text: 'finished' },
      ],
    });
    run = await runClaude({
      prompt: 'Look at the environment files.',
      cwd: repo,
      baseUrl: server.baseUrl,
      args: ['--allowedTools', 'Bash', 'Read'],
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('reads .env.example', () => {
    expect(run.code, run.stderr).toBe(0);
    const [exampleRead] = server.toolResults('main');
    expect(exampleRead?.isError, exampleRead?.text).toBeFalsy();
    expect(exampleRead?.text).toContain(example);
  });

  it('lets ordinary work that only names a secret file through (no false positive)', () => {
    const ignore = server.toolResults('main')[3];
    expect(ignore?.isError, ignore?.text).toBeFalsy();
    expect(read(repo, '.gitignore')).toContain('.env.staging-eu');
  });

  it('refuses other .env variants through the guard, for Read and Bash alike', () => {
    const [, variantRead, variantCat] = server.toolResults('main');
    for (const result of [variantRead, variantCat]) {
      expect(result?.isError, result?.text).toBe(true);
      expect(result?.text).toMatch(/secret-dotenv/);
    }
    expect(server.leaks(secret)).toEqual([]);
  });
});
