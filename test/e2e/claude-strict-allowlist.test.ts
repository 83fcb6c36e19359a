import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeHome, clientAtLeast, runClaude, trustWorkspace } from '../helpers/claude.js';
import { gitdir, tempDir } from '../helpers/gitdir.js';
import { canMountPrivately, managedWrapper } from '../helpers/managed-settings.js';
import { startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';
import { spineCopy } from '../helpers/spine-copy.js';

/**
 * network.yaml `strictAllowlist` goes out in `spine export managed-settings` only: the newest
 * client refuses a host outside the allowed domains without asking when the key comes from managed
 * settings; an onboarded repository without them takes the prompt path ("user denied" in -p; the
 * client ignores the key in project settings, so init does not write it). Two sessions in
 * parallel, each a sandboxed request to a loopback server outside the allowed domains.
 */

const STRICT_SINCE = '2.1.332';

describe.skipIf(!canMountPrivately())('strictAllowlist, from managed settings', () => {
  const hits: string[] = [];
  let api: ReturnType<typeof createServer>;
  const results: Record<string, string> = {};

  beforeAll(async () => {
    api = createServer((req, res) => {
      hits.push(String(req.url));
      res.end('REACHED\n');
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const port = (api.address() as AddressInfo).port;
    const spine = spineCopy((d) =>
      appendFileSync(
        join(d, 'guardrails/network.yaml'),
        '\nstrictAllowlist:\n  id: egress-strict\n  level: locked\n  why: other hosts are a review, not a prompt.\n',
      ),
    );
    const exported = await runCli(['export', 'managed-settings', '--spine', spine], { cwd: tempDir() });
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).sandbox.network.strictAllowlist).toBe(true);
    const managed = join(tempDir('spine-managed-'), 'managed-settings.json');
    writeFileSync(managed, exported.stdout);
    const session = async (name: string, bin?: string) => {
      const repo = gitdir({ 'README.md': '# x\n' });
      const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c', '--spine', spine], {
        cwd: repo,
      });
      expect(init.code, init.stderr).toBe(0);
      const model = await startModelServer({
        main: [
          {
            tools: [
              {
                name: 'Bash',
                input: {
                  command: `curl --noproxy '' -sS -m 10 http://localhost:${port}/${name}`,
                  description: 'x',
                },
              },
            ],
          },
          { text: 'done' },
        ],
      });
      const home = claudeHome();
      trustWorkspace(home, repo);
      const run = await runClaude({
        prompt: 'fetch',
        cwd: repo,
        home,
        bin,
        baseUrl: model.baseUrl,
        args: ['--allowedTools', 'Bash'],
        timeoutMs: 120_000,
      });
      await model.close();
      expect(run.code, run.stderr).toBe(0);
      results[name] = JSON.stringify(run.messages.filter((m) => m.type === 'user'));
    };
    await Promise.all([session('managed', managedWrapper(managed)), session('project')]);
  }, 240_000);

  afterAll(() => {
    api?.close();
  });

  it('the request never reaches the host, with or without the managed key', () => {
    expect(hits).toEqual([]);
  });

  it.runIf(clientAtLeast(STRICT_SINCE))('managed: refused as not on the allow list, without a prompt', () => {
    expect(results.managed).toContain('host is not on the allow list');
    expect(results.project).not.toContain('host is not on the allow list');
  });
});
