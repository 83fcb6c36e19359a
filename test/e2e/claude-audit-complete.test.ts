import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaudeRun, clientAtLeast, runClaude } from '../helpers/claude.js';
import { gitdir } from '../helpers/gitdir.js';
import { type ModelServer, startModelServer, type Turn } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';
import { bash } from '../helpers/scripted-session.js';

/**
 * The audit-only events run async (off the agent's path) and the client kills async hooks still
 * running when a session ends. Count the records of a real session: every tool call has exactly
 * one PreToolUse and one PostToolUse record, every session event one record, none missing, none
 * doubled — the last calls before the session ends included.
 */

const SUBAGENT = 'AUDIT-COMPLETE-SUBAGENT';
const noop = (i: number) => bash(`true ${i}`);
const read = () => ({ name: 'Read', input: { file_path: 'README.md' } });

describe('a real session with async audit hooks', () => {
  let repo: string;
  let server: ModelServer;
  let run: ClaudeRun;
  let lines: Record<string, any>[];
  // 1 Agent + 3 subagent calls + 2 parallel + 6 single = 12 tool calls.
  const main: Turn[] = [
    { tools: [noop(1)] },
    {
      tools: [
        {
          name: 'Agent',
          input: {
            description: 'Look around',
            prompt: `${SUBAGENT}: look`,
            subagent_type: 'general-purpose',
          },
        },
      ],
    },
    { tools: [noop(2), read()] },
    { tools: [read()] },
    { tools: [noop(3)] },
    { tools: [read()] },
    { tools: [noop(4)] },
    // The last call right before the session ends: its PostToolUse is the likeliest to be cut.
    { tools: [noop(5)] },
    { text: 'main done' },
  ];
  const sub: Turn[] = [
    { tools: [noop(10)] },
    { tools: [read()] },
    { tools: [noop(11)] },
    { text: 'sub done' },
  ];
  const calls = 12;

  beforeAll(async () => {
    repo = gitdir({ 'README.md': '# app\n' });
    const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    server = await startModelServer({ main, subagents: { [SUBAGENT]: sub } });
    run = await runClaude({
      prompt: 'work',
      cwd: repo,
      baseUrl: server.baseUrl,
      args: ['--allowedTools', 'Bash', 'Read'],
      timeoutMs: 180_000,
    });
    const dir = join(repo, '.spine/audit');
    lines = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
      .map((l) => JSON.parse(l));
  }, 200_000);

  afterAll(async () => {
    await server?.close();
  });

  it('runs the whole script', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests.some((r) => r.route.kind === 'main' && r.turn === main.length - 1)).toBe(true);
  });

  it('has one PreToolUse and one PostToolUse record per tool call, none missing, none doubled', () => {
    for (const event of ['PreToolUse', 'PostToolUse']) {
      const ids = lines.filter((l) => l.event === event).map((l) => l.tool_use_id);
      expect(ids, event).toHaveLength(calls);
      expect(new Set(ids).size, event).toBe(calls);
    }
    const pre = new Set(lines.filter((l) => l.event === 'PreToolUse').map((l) => l.tool_use_id));
    const post = new Set(lines.filter((l) => l.event === 'PostToolUse').map((l) => l.tool_use_id));
    expect(post).toEqual(pre);
  });

  it('has each session event once, one person prompt, and the subagent edge', () => {
    const count = (event: string) => lines.filter((l) => l.event === event).length;
    for (const event of ['SessionStart', 'SubagentStart', 'SubagentStop', 'SessionEnd']) {
      expect(count(event), event).toBe(1);
    }
    // A background subagent (the default from 2.1.198) reports back through a second
    // UserPromptSubmit and ends a second turn: the agent tree's own, not a person's prompt.
    const prompts = lines.filter((l) => l.event === 'UserPromptSubmit');
    expect(prompts.filter((l) => l.prompt_kind === undefined).map((l) => l.prompt)).toEqual(['work']);
    for (const p of prompts.filter((l) => l.prompt_kind !== undefined)) {
      expect(p.prompt_kind).toBe('task-notification');
      expect(p.prompt).toMatch(/^<task-notification>/);
    }
    expect(count('Stop')).toBeGreaterThanOrEqual(1);
    const edge = lines.find((l) => l.event === 'PostToolUse' && l.tool_name === 'Agent');
    const child = lines.find((l) => l.event === 'SubagentStart')?.agent_id;
    expect(edge?.child_agent_id).toBe(child);
    // Nothing doubled: no two lines for the same event of the same call or agent.
    const keys = lines
      .filter((l) => l.event !== 'Stop' && l.event !== 'UserPromptSubmit')
      .map((l) => `${l.event} ${l.tool_use_id ?? ''} ${l.agent_id ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('says on each Bash result whether the OS sandbox ran it, where the client records that', () => {
    const results = lines.filter((l) => l.event === 'PostToolUse' && l.tool_name === 'Bash');
    expect(results.length).toBeGreaterThan(0);
    // 2.1.332 writes `sandboxed` beside each Bash result in the transcript; 2.1.197 does not.
    for (const l of results)
      if (clientAtLeast('2.1.332')) expect(typeof l.sandboxed, l.tool_use_id).toBe('boolean');
      else expect(l, l.tool_use_id).not.toHaveProperty('sandboxed');
    for (const l of lines.filter((x) => x.tool_name !== 'Bash')) expect(l).not.toHaveProperty('sandboxed');
  });

  it('leaves no marker of a writer in flight behind', () => {
    expect(existsSync(join(repo, '.spine/audit/.pending'))).toBe(false);
  });
});
