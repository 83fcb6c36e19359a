import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted stand-in for the Anthropic Messages API, so the real Claude Code client can run
 * offline in tests. Each conversation (the main agent, every subagent) follows its own list of
 * turns; the turn to answer is the number of assistant messages already in the request, so the
 * server is stateless per request and a client retry gets the same answer again.
 */

export interface ToolUse {
  name: string;
  input: Record<string, unknown>;
  /** Defaults to a stable id derived from conversation, turn and position. */
  id?: string;
}

/**
 * One model reply: tool calls (stop_reason tool_use) or a final text (stop_reason end_turn); or
 * `hang`, a reply that never comes (the client waits until it is stopped).
 */
export type Turn = { tools: ToolUse[]; text?: string } | { text: string } | { hang: true };

export interface Script {
  /** The main agent's turns. */
  main: Turn[];
  /**
   * Subagent conversations, keyed by a marker string that appears in the subagent's prompt
   * (the `prompt` input of the Agent tool call that starts it). A subagent no marker matches
   * is answered with a final text at once.
   */
  subagents?: Record<string, Turn[]>;
}

/** Which script a request was answered from: main, a subagent marker, or a side request. */
export type Route =
  | { kind: 'main' }
  | { kind: 'subagent'; marker: string }
  | { kind: 'side' }
  | { kind: 'count_tokens' }
  | { kind: 'probe' }
  | { kind: 'unknown' };

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The raw body exactly as received: search it for anything that must never leave the machine. */
  raw: string;
  body: MessagesRequest | undefined;
  route: Route;
  /** For scripted conversations: the index of the turn answered. */
  turn?: number;
}

export interface MessagesRequest {
  model?: string;
  stream?: boolean;
  system?: unknown;
  tools?: { name: string }[];
  messages: { role: string; content: string | ContentBlock[] }[];
}

export interface ContentBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: string | ContentBlock[];
  is_error?: boolean;
}

export interface ToolResult {
  toolUseId: string;
  isError: boolean;
  text: string;
}

export interface ModelServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Every request body received, concatenated: the whole of what the client sent out. */
  everythingSent(): string;
  /**
   * Where a value reached the server: one short line per request that contained it (route,
   * turn and the text around it), so a failing assertion says what leaked without dumping
   * whole request bodies.
   */
  leaks(value: string): string[];
  /** The tool results the client sent back in a conversation, in order, across all its requests. */
  toolResults(route: 'main' | string): ToolResult[];
  /** Requests that matched no known endpoint (method and url), for diagnosing a new client. */
  unknown(): string[];
  close(): Promise<void>;
}

const SIDE_REPLY = 'ok';
const DONE_REPLY = 'done';

export async function startModelServer(script: Script): Promise<ModelServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      const method = req.method ?? 'GET';
      const body = parseBody(raw);
      const record: RecordedRequest = {
        method,
        url,
        headers: req.headers,
        raw,
        body,
        route: { kind: 'unknown' },
      };
      requests.push(record);
      answer(script, record, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    everythingSent: () => requests.map((r) => `${r.url}\n${r.raw}`).join('\n'),
    leaks: (value) => findLeaks(requests, value),
    toolResults: (name) => collectToolResults(requests, name),
    unknown: () => requests.filter((r) => r.route.kind === 'unknown').map((r) => `${r.method} ${r.url}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseBody(raw: string): MessagesRequest | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as MessagesRequest;
  } catch {
    return undefined;
  }
}

function answer(script: Script, record: RecordedRequest, res: ServerResponse): void {
  const path = record.url.split('?')[0];
  if (record.method === 'HEAD' || (record.method === 'GET' && path === '/')) {
    // The client probes the base URL for reachability at start-up.
    record.route = { kind: 'probe' };
    res.writeHead(200).end();
    return;
  }
  if (record.method === 'POST' && path === '/v1/messages/count_tokens') {
    record.route = { kind: 'count_tokens' };
    sendJson(res, 200, { input_tokens: Math.ceil(record.raw.length / 4) });
    return;
  }
  if (record.method !== 'POST' || path !== '/v1/messages' || !record.body) {
    // A client version that needs a new endpoint shows up here first.
    process.stderr.write(`model-server: not scripted: ${record.method} ${record.url}\n`);
    sendJson(res, 404, {
      type: 'error',
      error: { type: 'not_found_error', message: `not scripted: ${path}` },
    });
    return;
  }

  const body = record.body;
  const route = routeOf(script, body, record.headers);
  record.route = route;
  let content: ContentBlock[];
  if (route.kind === 'side') {
    content = [{ type: 'text', text: SIDE_REPLY }];
  } else {
    const marker = route.kind === 'subagent' ? route.marker : undefined;
    const turns = marker === undefined ? script.main : (script.subagents?.[marker] ?? []);
    const turn = body.messages.filter((m) => m.role === 'assistant').length;
    record.turn = turn;
    const tag = marker === undefined ? 'main' : `sub${Object.keys(script.subagents ?? {}).indexOf(marker)}`;
    const scripted = turns[turn] ?? { text: DONE_REPLY };
    // No answer at all: the request stays open until the client is stopped or the server closes.
    if ('hang' in scripted) return;
    content = renderTurn(scripted, `${tag}_${turn}`);
  }
  const stopReason = content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  const message = {
    id: `msg_${String(Math.random()).slice(2, 12)}`,
    type: 'message',
    role: 'assistant',
    model: body.model ?? 'claude-test',
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 10 },
  };
  if (body.stream) stream(res, message);
  else sendJson(res, 200, message);
}

/**
 * Subagents arrive as separate conversations whose first user message holds the prompt the
 * parent gave the Agent tool. Requests without tools are the client's own side requests (titles,
 * summaries, probes): they get a short text and never consume the script.
 */
function routeOf(
  script: Script,
  body: MessagesRequest,
  headers: IncomingHttpHeaders,
): Extract<Route, { kind: 'main' | 'subagent' | 'side' }> {
  if (!body.tools || body.tools.length === 0) return { kind: 'side' };
  const first = body.messages.find((m) => m.role === 'user');
  const opening = first ? textOf(first.content) : '';
  for (const marker of Object.keys(script.subagents ?? {})) {
    if (opening.includes(marker)) return { kind: 'subagent', marker };
  }
  // An unscripted subagent must not replay the main script (it would start itself again).
  if (headers['x-claude-code-agent-id']) return { kind: 'subagent', marker: '' };
  return { kind: 'main' };
}

function renderTurn(turn: Exclude<Turn, { hang: true }>, tag: string): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  if (turn.text !== undefined) blocks.push({ type: 'text', text: turn.text });
  if ('tools' in turn) {
    turn.tools.forEach((tool, i) => {
      blocks.push({
        type: 'tool_use',
        id: tool.id ?? `toolu_${tag}_${i}`,
        name: tool.name,
        input: tool.input,
      });
    });
  }
  return blocks;
}

/** Server-sent events in the order and shape the Messages API streams them. */
function stream(res: ServerResponse, message: { content: ContentBlock[]; stop_reason: string }): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', {
    message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } },
  });
  message.content.forEach((block, index) => {
    if (block.type === 'tool_use') {
      send('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      // Split the JSON so the client has to assemble partial deltas, as it does with the real API.
      const json = JSON.stringify(block.input);
      const cut = Math.floor(json.length / 2);
      for (const part of [json.slice(0, cut), json.slice(cut)]) {
        send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
      }
    } else {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index, delta: { type: 'text_delta', text: block.text ?? '' } });
    }
    send('content_block_stop', { index });
  });
  send('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: 10 },
  });
  send('message_stop', {});
  res.end();
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function textOf(content: string | ContentBlock[]): string {
  if (typeof content === 'string') return content;
  return content.map((b) => (b.type === 'text' ? (b.text ?? '') : textOf(b.content ?? ''))).join('\n');
}

function collectToolResults(requests: RecordedRequest[], name: string): ToolResult[] {
  const seen = new Map<string, ToolResult>();
  for (const r of requests) {
    const matches =
      name === 'main' ? r.route.kind === 'main' : r.route.kind === 'subagent' && r.route.marker === name;
    if (!matches || !r.body) continue;
    for (const m of r.body.messages) {
      if (m.role !== 'user' || typeof m.content === 'string') continue;
      for (const b of m.content) {
        if (b.type !== 'tool_result' || !b.tool_use_id) continue;
        seen.set(b.tool_use_id, {
          toolUseId: b.tool_use_id,
          isError: b.is_error === true,
          text: textOf(b.content ?? ''),
        });
      }
    }
  }
  return [...seen.values()];
}

function findLeaks(requests: RecordedRequest[], value: string): string[] {
  const out: string[] = [];
  for (const r of requests) {
    const at = r.raw.indexOf(value);
    if (at < 0) continue;
    const where = r.route.kind === 'subagent' ? `subagent ${r.route.marker}` : r.route.kind;
    const around = r.raw.slice(Math.max(0, at - 80), at + value.length + 20);
    out.push(`${r.method} ${r.url} (${where}, turn ${r.turn ?? '-'}): …${around}…`);
  }
  return out;
}
