import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EVENTS } from '../../src/spine/model.js';
import { CLAUDE_CHOICE, runClaude } from '../helpers/claude.js';
import { gitdir, tempDir, writeTree } from '../helpers/gitdir.js';
import { type ModelServer, startModelServer } from '../helpers/model-server.js';

/**
 * The hook runtime is written against the payloads the real client sends. This test captures
 * them from a real session with a capture-only hook and checks the stored fixtures still have
 * the same shape. SPINE_RECORD_HOOK_PAYLOADS=1 rewrites the fixtures instead.
 */

/**
 * Recorded per pinned client: the oldest supported one in hook-payloads/, the newest in
 * hook-payloads-newest/. Any other client (SPINE_CLAUDE=<path>) is held to the fields spine reads.
 */
const FIXTURE_DIRS: Record<string, string> = { oldest: 'hook-payloads', newest: 'hook-payloads-newest' };
const FIXTURE_DIR = FIXTURE_DIRS[CLAUDE_CHOICE];
const FIXTURES = FIXTURE_DIR
  ? fileURLToPath(new URL(`../fixtures/${FIXTURE_DIR}/`, import.meta.url))
  : undefined;
const RECORD = process.env.SPINE_RECORD_HOOK_PAYLOADS === '1';
const EVENTS = AUDIT_EVENTS;
const SUBAGENT = 'PAYLOAD-PROBE-SUBAGENT';

// Writes each payload it receives to <dir>/<n>.json; the name sorts in arrival order.
const CAPTURE_HOOK = `import { readFileSync, writeFileSync } from 'node:fs';
const input = readFileSync(0, 'utf8');
const name = process.hrtime.bigint().toString().padStart(24, '0') + '-' + process.pid;
writeFileSync(process.argv[2] + '/' + name + '.json', input);
`;

type Payload = Record<string, unknown>;
let captured: Payload[] = [];
let server: ModelServer;

beforeAll(async () => {
  const repo = gitdir({ 'README.md': '# probe\n' });
  const scratch = tempDir('spine-capture-');
  const out = join(scratch, 'payloads');
  mkdirSync(out);
  writeFileSync(join(scratch, 'capture.mjs'), CAPTURE_HOOK);
  const command = `node ${JSON.stringify(join(scratch, 'capture.mjs'))} ${JSON.stringify(out)}`;
  const hooks = Object.fromEntries(EVENTS.map((e) => [e, [{ hooks: [{ type: 'command', command }] }]]));
  writeTree(repo, { '.claude/settings.json': JSON.stringify({ hooks }, null, 2) });

  server = await startModelServer({
    main: [
      { tools: [{ name: 'Bash', input: { command: 'echo hello', description: 'Say hello' } }] },
      {
        tools: [
          {
            name: 'Agent',
            input: {
              description: 'List the files',
              prompt: `${SUBAGENT}: list the files in the repository`,
              subagent_type: 'general-purpose',
            },
          },
        ],
      },
      { text: 'main done' },
    ],
    subagents: {
      [SUBAGENT]: [
        { tools: [{ name: 'Bash', input: { command: 'ls', description: 'List files' } }] },
        { text: 'sub done' },
      ],
    },
  });
  const run = await runClaude({
    prompt: 'probe the hooks',
    cwd: repo,
    baseUrl: server.baseUrl,
    args: ['--allowedTools', 'Bash'],
  });
  expect(run.code, run.stderr).toBe(0);
  captured = readdirSync(out)
    .sort()
    .map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as Payload);
  if (RECORD && FIXTURES) writeFixtures(FIXTURES, captured, { repo, home: run.home });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** The fixture for each event: its first payload; tool events also for the Agent tool and from a subagent. */
function pick(payloads: Payload[]): Record<string, Payload> {
  const out: Record<string, Payload> = {};
  for (const p of payloads) {
    const event = String(p.hook_event_name);
    let key = event;
    if (event === 'PreToolUse' || event === 'PostToolUse') {
      if (p.tool_name === 'Agent') key = `${event}-Agent`;
      else if (typeof p.agent_id === 'string') key = `${event}-Subagent`;
      else if (p.tool_name !== 'Bash') continue;
    }
    out[key] ??= p;
  }
  return out;
}

/** Replaces what is specific to this machine and this run with stable placeholders. */
function placeholders(payload: Payload, paths: { repo: string; home: string }): Payload {
  const sessionId = String(payload.session_id);
  let text = JSON.stringify(payload, null, 2);
  text = text.split(paths.home).join('<home>').split(paths.repo).join('<repo>');
  text = text.split(sessionId).join('<session-id>');
  // The client's own scratch directory for background tasks (newer clients): per user id.
  text = text.replace(/\/tmp\/claude-\d+/g, '<client-tmp>');
  text = text.split(paths.repo.replace(/[^A-Za-z0-9]/g, '-')).join('<project>');
  const value = JSON.parse(text) as Payload;
  if (typeof value.prompt_id === 'string') value.prompt_id = '<prompt-id>';
  if (typeof value.agent_id === 'string') {
    const agentId = value.agent_id;
    value.agent_id = '<agent-id>';
    return JSON.parse(JSON.stringify(value).split(agentId).join('<agent-id>')) as Payload;
  }
  const response = value.tool_response as Payload | undefined;
  if (response && typeof response.agentId === 'string') {
    const agentId = response.agentId;
    return JSON.parse(JSON.stringify(value).split(agentId).join('<agent-id>')) as Payload;
  }
  return value;
}

function writeFixtures(dir: string, payloads: Payload[], paths: { repo: string; home: string }): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, payload] of Object.entries(pick(payloads))) {
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(placeholders(payload, paths), null, 2)}\n`);
  }
}

/** The shape of a payload: its keys, recursively, with value types. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shape(value[0])] : [];
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Payload)[k])]),
    );
  }
  return typeof value;
}

describe('hook payloads of the real client', () => {
  it('fires every event the hook runtime handles, main agent and subagent', () => {
    const events = new Set(captured.map((p) => p.hook_event_name));
    for (const event of EVENTS) expect(events, event).toContain(event);
    const fromSubagent = captured.filter((p) => typeof p.agent_id === 'string');
    expect(fromSubagent.map((p) => p.hook_event_name)).toEqual(
      expect.arrayContaining(['SubagentStart', 'PreToolUse', 'PostToolUse', 'SubagentStop']),
    );
    expect(fromSubagent.every((p) => p.agent_type === 'general-purpose')).toBe(true);
  });

  it('links the child agent to the Agent call that started it', () => {
    const post = captured.find((p) => p.hook_event_name === 'PostToolUse' && p.tool_name === 'Agent');
    const start = captured.find((p) => p.hook_event_name === 'SubagentStart');
    expect(start?.agent_id).toMatch(/^a[0-9a-f]+$/);
    expect((post?.tool_response as Payload | undefined)?.agentId).toBe(start?.agent_id);
    expect(post?.agent_id).toBeUndefined();
  });

  it('has the fields the hook runtime reads, with their types', () => {
    const common = {
      hook_event_name: 'string',
      session_id: 'string',
      transcript_path: 'string',
      cwd: 'string',
    };
    const tool = { ...common, tool_name: 'string', tool_use_id: 'string', tool_input: 'object' };
    const expected: Record<string, Record<string, string>> = {
      SessionStart: { ...common, source: 'string' },
      UserPromptSubmit: { ...common, prompt: 'string' },
      PreToolUse: tool,
      PostToolUse: { ...tool, tool_response: 'object' },
      SubagentStart: { ...common, agent_id: 'string', agent_type: 'string' },
      SubagentStop: { ...common, agent_id: 'string', agent_type: 'string' },
      Stop: common,
      SessionEnd: { ...common, reason: 'string' },
    };
    for (const [name, payload] of Object.entries(pick(captured))) {
      const fields = expected[String(payload.hook_event_name)] ?? common;
      for (const [field, type] of Object.entries(fields))
        expect(typeof payload[field], `${name}.${field}`).toBe(type);
    }
  });

  it.runIf(FIXTURES)('matches the fixtures recorded from this client in shape', () => {
    for (const [name, payload] of Object.entries(pick(captured))) {
      const fixture = JSON.parse(readFileSync(join(FIXTURES!, `${name}.json`), 'utf8'));
      expect(shape(payload), name).toEqual(shape(fixture));
    }
  });
});
