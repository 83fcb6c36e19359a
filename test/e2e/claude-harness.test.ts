import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claudeHome, runClaude, trustWorkspace } from '../helpers/claude.js';
import { gitdir } from '../helpers/gitdir.js';
import { type ModelServer, startModelServer } from '../helpers/model-server.js';

/**
 * The harness itself: the scripted server drives the real client offline, and trusting a
 * workspace is what makes the client honour a project's own allow rules (untrusted, it drops
 * them). Both facts the other end-to-end tests rely on.
 */

const servers: ModelServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function touchSession(trusted: boolean) {
  const repo = gitdir({
    '.claude/settings.json': JSON.stringify({ permissions: { allow: ['Bash(touch *)'] } }),
  });
  const server = await startModelServer({
    main: [
      { tools: [{ name: 'Bash', input: { command: 'touch made-by-agent', description: 'Create a file' } }] },
      { text: 'created' },
    ],
  });
  servers.push(server);
  const home = claudeHome();
  if (trusted) trustWorkspace(home, repo);
  const run = await runClaude({ prompt: 'Create the file.', cwd: repo, baseUrl: server.baseUrl, home });
  return { repo, server, run };
}

describe('the Claude Code test harness', () => {
  it('runs a scripted session offline and reports it as stream-json', async () => {
    const [untrusted, trusted] = await Promise.all([touchSession(false), touchSession(true)]);

    expect(trusted.run.code, trusted.run.stderr).toBe(0);
    expect(trusted.run.init?.tools).toContain('Bash');
    expect(trusted.run.result?.result).toBe('created');
    expect(trusted.server.unknown()).toEqual([]);
    // The scripted call ran, and its result went back to the model.
    expect(existsSync(join(trusted.repo, 'made-by-agent'))).toBe(true);
    expect(trusted.server.toolResults('main')).toEqual([
      expect.objectContaining({ toolUseId: 'toolu_main_0_0', isError: false }),
    ]);

    // Untrusted, the same project allow rule is dropped and headless mode refuses the call.
    expect(untrusted.run.code, untrusted.run.stderr).toBe(0);
    expect(existsSync(join(untrusted.repo, 'made-by-agent'))).toBe(false);
    expect(untrusted.server.toolResults('main')[0]?.isError).toBe(true);
  }, 120_000);
});

describe('the scripted model server', () => {
  const tools = [{ name: 'Bash' }];
  const post = (server: ModelServer, body: unknown) =>
    fetch(`${server.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  async function scripted(): Promise<ModelServer> {
    const server = await startModelServer({
      main: [{ tools: [{ name: 'Bash', input: { command: 'ls -la' } }] }, { text: 'main done' }],
      subagents: { 'SUB-MARKER': [{ text: 'sub done' }] },
    });
    servers.push(server);
    return server;
  }

  it('streams a tool_use turn as the Messages API does', async () => {
    const server = await scripted();
    const res = await post(server, { stream: true, tools, messages: [{ role: 'user', content: 'go' }] });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((chunk) => JSON.parse(chunk.split('\ndata: ')[1] ?? 'null'));
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[1].content_block).toMatchObject({ type: 'tool_use', name: 'Bash', id: 'toolu_main_0_0' });
    const json = events.filter((e) => e.delta?.type === 'input_json_delta').map((e) => e.delta.partial_json);
    expect(JSON.parse(json.join(''))).toEqual({ command: 'ls -la' });
    expect(events[5].delta.stop_reason).toBe('tool_use');
  });

  it('answers without streaming, routes subagents, and keeps side requests off the script', async () => {
    const server = await scripted();
    const later = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: [{ type: 'text', text: 'x' }] },
      { role: 'user', content: 'more' },
    ];
    const json = async (res: Promise<Response>) => (await (await res).json()) as { content: unknown[] };
    const main = await json(post(server, { tools, messages: later }));
    expect(main).toMatchObject({
      type: 'message',
      stop_reason: 'end_turn',
      content: [{ text: 'main done' }],
    });
    const sub = await json(post(server, { tools, messages: [{ role: 'user', content: 'SUB-MARKER: x' }] }));
    expect(sub.content).toEqual([{ type: 'text', text: 'sub done' }]);
    const side = await json(post(server, { messages: [{ role: 'user', content: 'title?' }] }));
    expect(side.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(server.requests.map((r) => r.route.kind)).toEqual(['main', 'subagent', 'side']);

    const missing = await fetch(`${server.baseUrl}/v1/files`);
    expect(missing.status).toBe(404);
    expect(server.unknown()).toEqual(['GET /v1/files']);
    expect(server.leaks('SUB-MARKER')).toHaveLength(1);
  });
});
