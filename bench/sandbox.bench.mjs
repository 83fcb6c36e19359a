// The cost of Claude Code's OS sandbox per Bash call, in a real session: the real client runs
// the same scripted session of N sequential Bash calls with the sandbox on and off, interleaved,
// and the difference per call is reported. No goal: teams need the number.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientEnv } from '../test/helpers/client-env.mjs';
import { ROOT, row } from './lib.mjs';

const CALLS = Number(process.env.BENCH_SANDBOX_CALLS ?? 12);
const ROUNDS = Number(process.env.BENCH_SANDBOX_ROUNDS ?? 3);
const CLAUDE = join(ROOT, 'node_modules/@anthropic-ai/claude-code/bin/claude.exe');

/** A scripted Messages API: turn k answers with Bash call k until CALLS, then a final text. */
function modelServer() {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (process.env.BENCH_DEBUG)
        process.stderr.write(
          `${req.method} ${req.url} ${body.length} ${(body.match(/"role":"assistant"/g) ?? []).length}\n`,
        );
      if (req.method !== 'POST' || !req.url.startsWith('/v1/messages')) return res.writeHead(200).end();
      if (req.url.includes('count_tokens')) return res.end('{"input_tokens":10}');
      const parsed = JSON.parse(body);
      const turn = parsed.messages.filter((m) => m.role === 'assistant').length;
      const tools = parsed.tools?.length > 0;
      const block =
        tools && turn < CALLS
          ? {
              type: 'tool_use',
              id: `toolu_${turn}`,
              name: 'Bash',
              input: { command: 'cat README.md', description: 'read' },
            }
          : { type: 'text', text: 'done' };
      const stop = block.type === 'tool_use' ? 'tool_use' : 'end_turn';
      if (!parsed.stream) {
        const message = {
          id: `msg_${turn}_${Math.random().toString(36).slice(2)}`,
          type: 'message',
          role: 'assistant',
          model: 'm',
          content: [block],
        };
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ ...message, stop_reason: stop, stop_sequence: null, usage: {} }));
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (type, data) =>
        res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
      const usage = { input_tokens: 10, output_tokens: 10 };
      send('message_start', {
        message: {
          id: `msg_${turn}_${Math.random().toString(36).slice(2)}`,
          type: 'message',
          role: 'assistant',
          model: 'm',
          content: [],
          stop_reason: null,
          usage,
        },
      });
      if (block.type === 'tool_use') {
        send('content_block_start', { index: 0, content_block: { ...block, input: {} } });
        send('content_block_delta', {
          index: 0,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
        });
      } else {
        send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
        send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: block.text } });
      }
      send('content_block_stop', { index: 0 });
      send('message_delta', {
        delta: { stop_reason: block.type === 'tool_use' ? 'tool_use' : 'end_turn' },
        usage,
      });
      send('message_stop', {});
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function session(repo, port) {
  const home = mkdtempSync(join(tmpdir(), 'spine-bench-home-'));
  mkdirSync(join(home, '.claude'));
  const env = clientEnv({ home, baseUrl: `http://127.0.0.1:${port}` });
  const args = ['-p', 'go', '--output-format', 'json', '--allowedTools', 'Bash'];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = execFile(CLAUDE, args, { cwd: repo, env, timeout: 180_000 }, (error) => {
      rmSync(home, { recursive: true, force: true });
      if (error) reject(error);
      else resolve(Number(process.hrtime.bigint() - start) / 1e6);
    });
    child.stdin.end();
  });
}

function repo(sandboxed) {
  const dir = mkdtempSync(join(tmpdir(), 'spine-bench-sandbox-'));
  execFileSync('git', ['init', '-q', dir]);
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  const sandbox = sandboxed
    ? {
        enabled: true,
        allowUnsandboxedCommands: false,
        autoAllowBashIfSandboxed: false,
        filesystem: { denyRead: ['**/.env', '~/.ssh/**'] },
      }
    : { enabled: false };
  mkdirSync(join(dir, '.claude'));
  writeFileSync(join(dir, '.claude/settings.json'), JSON.stringify({ sandbox }));
  return dir;
}

export default async function () {
  const server = await modelServer();
  const { port } = server.address();
  const repos = { on: repo(true), off: repo(false) };
  const times = { on: [], off: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
      times[mode].push(await session(repos[mode], port));
    }
  }
  server.close();
  for (const dir of Object.values(repos)) rmSync(dir, { recursive: true, force: true });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const off = median(times.off);
  const on = median(times.on);
  const perCall = (on - off) / CALLS;
  return [
    row(`session, ${CALLS} Bash calls, no sandbox`, off, off, 'baseline', `${ROUNDS} rounds, interleaved`),
    row(
      `session, ${CALLS} Bash calls, OS sandbox`,
      on,
      off,
      'none',
      `+${perCall.toFixed(0)} ms per Bash call`,
    ),
  ];
}
