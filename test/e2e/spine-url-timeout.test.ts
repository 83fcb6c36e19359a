import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitdir, snapshot, tempDir } from '../helpers/gitdir.js';
import { runCli } from '../helpers/run-cli.js';

// A spine URL whose server accepts the connection and then says nothing: init once hung for ever.
let server: Server;
let url: string;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}/acme/spine.git`;
});
afterAll(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

describe('a spine server that never answers', () => {
  it('init gives up after the read timeout with exit 2 and one line, nothing written', async () => {
    const repo = gitdir({ 'README.md': '# app\n' });
    const before = snapshot(repo);
    const started = Date.now();
    const result = await runCli(
      ['init', '--spine', url, '--team', 'payments', '--champion', '@alice', '--yes'],
      {
        cwd: repo,
        // The read timeout is 30 s; git's own variable shortens it for the test.
        env: { GIT_HTTP_LOW_SPEED_TIME: '2', XDG_CACHE_HOME: tempDir('spine-cache-') },
      },
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^spine: .*: the spine repository did not answer in time: /);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(sockets.length).toBeGreaterThan(0);
    expect(snapshot(repo)).toEqual(before);
  });
});
