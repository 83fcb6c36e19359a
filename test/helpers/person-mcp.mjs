// A person answering Claude Code's permission prompts, for `--permission-prompt-tool
// mcp__person__approve`: a stdio MCP server with one tool. It allows a call unless its input says
// `refuse-me`. Dependency-free: newline-delimited JSON-RPC on stdin/stdout.
import { createInterface } from 'node:readline';

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const TOOL = {
  name: 'approve',
  description: 'Answers a permission prompt as a person would',
  inputSchema: {
    type: 'object',
    properties: { tool_name: { type: 'string' }, input: { type: 'object' }, tool_use_id: { type: 'string' } },
  },
};

createInterface({ input: process.stdin }).on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.id === undefined) return; // a notification
  let result = {};
  if (msg.method === 'initialize')
    result = {
      protocolVersion: msg.params?.protocolVersion ?? '2024-11-05',
      capabilities: { tools: {} },
      serverInfo: { name: 'person', version: '1.0.0' },
    };
  else if (msg.method === 'tools/list') result = { tools: [TOOL] };
  else if (msg.method === 'tools/call') {
    const input = msg.params?.arguments?.input ?? {};
    const answer = JSON.stringify(input).includes('refuse-me')
      ? { behavior: 'deny', message: 'the person said no' }
      : { behavior: 'allow', updatedInput: input };
    result = { content: [{ type: 'text', text: JSON.stringify(answer) }] };
  } else if (typeof msg.method === 'string' && msg.method !== 'ping') {
    send({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: `no method ${msg.method}` } });
    return;
  }
  send({ jsonrpc: '2.0', id: msg.id, result });
});
