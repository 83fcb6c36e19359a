import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendLine } from '../../src/hooks/append-line.js';
import { recordFromTranscript } from '../../src/hooks/transcript-records.js';
import type { AuditRecord, HookPolicy } from '../../src/hooks/types.js';
import { auditRecords, auditSink } from '../helpers/audit-sink.js';
import { tempDir } from '../helpers/gitdir.js';
import { jsonl, toolResult, toolUse } from '../helpers/transcript.js';
import { embeddedPolicy } from '../hooks/embedded-policy.js';

/**
 * UserPromptSubmit, SubagentStart and SubagentStop records, rebuilt at Stop and SessionEnd from a
 * transcript laid out the way Claude Code writes it (main file, subagents/agent-<id>.jsonl with
 * its .meta.json). The tool calls' records from the same transcript: hooks-transcript-records.
 */
const SESSION = 'sess-1';
const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
let policy: HookPolicy;
beforeAll(async () => {
  policy = await embeddedPolicy();
});

const use = (id: string, name: string, input: unknown) =>
  toolUse(id, name, input, '2026-12-01T10:00:00.000Z');
const result = (id: string, content: unknown, toolUseResult: unknown, isError = false) =>
  toolResult(id, content, toolUseResult, {
    isError,
    timestamp: '2026-12-01T10:00:01.000Z',
    extra: { cwd: '/repo', promptId: 'prompt-1' },
  });

/** A session of these main-transcript lines, no subagent yet, and an empty audit log. */
function session(lines: unknown[]) {
  const root = tempDir('spine-transcript-');
  const transcript = join(root, 'projects', `${SESSION}.jsonl`);
  mkdirSync(join(root, 'projects', SESSION, 'subagents'), { recursive: true });
  writeFileSync(transcript, jsonl(lines));
  const logDir = join(root, 'audit');
  mkdirSync(logDir);
  writeFileSync(join(logDir, '2026-12-01.jsonl'), '\n');
  const sink = auditSink(logDir, policy, new Date('2026-12-01T11:00:00Z'));
  const read = () => auditRecords(logDir);
  return { sink, transcript, read };
}

describe('prompts and subagents from the transcript', () => {
  const userLine = (promptId: string, content: unknown, extra: object = {}) => ({
    type: 'user',
    timestamp: '2026-12-01T10:00:05.000Z',
    promptId,
    message: { role: 'user', content },
    ...extra,
  });

  const lifecycle = (read: () => AuditRecord[]) => read().filter((r) => !r.tool_use_id);

  it('records each prompt once: plain, a slash command as the hook had it, a subagent report, never the client’s own lines', () => {
    const notification =
      '<task-notification>\n<task-id>a9</task-id>\n<status>completed</status>\n<result>done</result>\n</task-notification>';
    const t = session([
      userLine('p1', `fix the build, token ${TOKEN}`),
      use('c1', 'Bash', { command: 'true' }),
      { ...result('c1', '', { stdout: '', stderr: '' }), promptId: 'p1' },
      userLine('p1', [{ type: 'text', text: '[Request interrupted by user]' }]),
      userLine(
        'p2',
        '<command-message>hello</command-message>\n<command-name>/hello</command-name>\n<command-args>world</command-args>',
      ),
      userLine('p2', [{ type: 'text', text: 'Say hello to world' }], { isMeta: true }),
      userLine('p3', [{ type: 'text', text: 'with "tool_use" quoted' }]),
      userLine('p4', notification),
      userLine('p5', 'summary of the session so far', { isCompactSummary: true }),
    ]);
    recordFromTranscript(t.sink, SESSION, t.transcript);
    const prompts = lifecycle(t.read);
    expect(prompts.map((r) => [r.event, r.prompt_id, r.prompt_kind ?? null])).toEqual([
      ['UserPromptSubmit', 'p1', null],
      ['UserPromptSubmit', 'p2', null],
      ['UserPromptSubmit', 'p3', null],
      ['UserPromptSubmit', 'p4', 'task-notification'],
    ]);
    expect(prompts[0]!.prompt).toMatch(/^fix the build, token /);
    expect(JSON.stringify(prompts[0])).not.toContain(TOKEN);
    expect(prompts[1]!.prompt).toBe('/hello world');
    expect(prompts[2]!.prompt).toBe('with "tool_use" quoted');
  });

  it('a later turn records only its own prompt, and a prompt a hook of the earlier wiring logged is not written again', () => {
    const t = session([userLine('p1', 'first')]);
    recordFromTranscript(t.sink, SESSION, t.transcript);
    appendFileSync(t.transcript, jsonl([userLine('p2', 'second'), userLine('p3', 'third')]));
    appendLine(
      join(t.sink.logDir, '2026-12-01.jsonl'),
      JSON.stringify({ event: 'UserPromptSubmit', session_id: SESSION, prompt_id: 'p2', prompt: 'second' }),
    );
    expect(recordFromTranscript(t.sink, SESSION, t.transcript)).toBe(1);
    // The session's end reads the whole transcript again: nothing twice.
    expect(recordFromTranscript(t.sink, SESSION, t.transcript, true)).toBe(0);
    expect(lifecycle(t.read).map((r) => r.prompt_id)).toEqual(['p1', 'p2', 'p3']);
  });

  it('a background subagent starts at once and stops when its metadata says it finished, or with the session', () => {
    const t = session([
      userLine('p1', 'look around'),
      use('bg', 'Agent', { description: 'look', prompt: 'look' }),
      result('bg', 'launched', { isAsync: true, status: 'async_launched', agentId: 'b1' }),
    ]);
    const dir = join(t.transcript.replace(/\.jsonl$/, ''), 'subagents');
    writeFileSync(
      join(dir, 'agent-b1.jsonl'),
      jsonl([userLine('p1', 'look'), use('s1', 'Read', { file_path: 'a' })]),
    );
    const meta = join(dir, 'agent-b1.meta.json');
    writeFileSync(meta, JSON.stringify({ agentType: 'general-purpose', toolUseId: 'bg' }));
    recordFromTranscript(t.sink, SESSION, t.transcript);
    const events = () =>
      lifecycle(t.read)
        .filter((r) => r.agent_id === 'b1')
        .map((r) => r.event);
    expect(events()).toEqual(['SubagentStart']);
    expect(lifecycle(t.read).find((r) => r.agent_id === 'b1')).toMatchObject({
      agent_type: 'general-purpose',
      prompt_id: 'p1',
    });
    recordFromTranscript(t.sink, SESSION, t.transcript);
    expect(events()).toEqual(['SubagentStart']);
    writeFileSync(meta, JSON.stringify({ agentType: 'general-purpose', toolUseId: 'bg', finished: true }));
    recordFromTranscript(t.sink, SESSION, t.transcript);
    expect(events()).toEqual(['SubagentStart', 'SubagentStop']);
    recordFromTranscript(t.sink, SESSION, t.transcript, true);
    expect(events()).toEqual(['SubagentStart', 'SubagentStop']);

    // Never finished: the session's end stops it.
    const u = session([userLine('p1', 'look around')]);
    const udir = join(u.transcript.replace(/\.jsonl$/, ''), 'subagents');
    writeFileSync(join(udir, 'agent-b2.jsonl'), jsonl([userLine('p1', 'look')]));
    recordFromTranscript(u.sink, SESSION, u.transcript);
    recordFromTranscript(u.sink, SESSION, u.transcript, true);
    expect(
      lifecycle(u.read)
        .filter((r) => r.agent_id === 'b2')
        .map((r) => r.event),
    ).toEqual(['SubagentStart', 'SubagentStop']);
  });

  it('records only the events the spine audits', () => {
    const t = session([userLine('p1', 'hello')]);
    const quiet = { ...policy, audit: { ...policy.audit!, events: ['PreToolUse', 'PostToolUse'] } };
    recordFromTranscript({ ...t.sink, policy: quiet }, SESSION, t.transcript);
    expect(lifecycle(t.read)).toEqual([]);
  });
});
