import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendLine } from '../../src/hooks/append-line.js';
import { recordFromTranscript } from '../../src/hooks/transcript-records.js';
import type { AuditRecord, HookPolicy } from '../../src/hooks/types.js';
import { auditRecords, auditSink } from '../helpers/audit-sink.js';
import { tempDir } from '../helpers/gitdir.js';
import { jsonl, preToolUseLine, toolResult, toolUse } from '../helpers/transcript.js';
import { embeddedPolicy } from '../hooks/embedded-policy.js';

/**
 * Finished calls' PostToolUse records, rebuilt from a transcript laid out the way Claude Code
 * 2.1.197 writes it (main file, subagents/agent-<id>.jsonl with its .meta.json): what a
 * PostToolUse hook would have written, for exactly the calls the hook let through.
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
const pre = (id: string, extra: Partial<AuditRecord> = {}) =>
  preToolUseLine(SESSION, id, '2026-12-01T10:00:00.000Z', extra);

function setup(logLines: string[]) {
  const root = tempDir('spine-transcript-');
  const transcript = join(root, 'projects', `${SESSION}.jsonl`);
  mkdirSync(join(root, 'projects', SESSION, 'subagents'), { recursive: true });
  writeFileSync(
    transcript,
    jsonl([
      {
        type: 'user',
        timestamp: '2026-12-01T09:59:59.000Z',
        promptId: 'prompt-1',
        message: { content: 'work' },
      },
      use('ok', 'Bash', { command: `curl -H "Authorization: token ${TOKEN}" x` }),
      result('ok', 'fine', { stdout: 'fine', stderr: '' }),
      use('fails', 'Bash', { command: 'false' }),
      result('fails', 'Exit code 1', 'Error: Exit code 1', true),
      use('refused', 'Bash', { command: 'cat .env' }),
      result('refused', 'cat: .env: Permission denied', {
        stdout: '',
        stderr: 'cat: .env: Permission denied',
      }),
      use('agent', 'Agent', { description: 'look', prompt: 'look', subagent_type: 'Explore' }),
      result('agent', [{ type: 'text', text: 'done' }], { status: 'completed', agentId: 'a1' }),
      use('guarded', 'Bash', { command: 'cat ~/.aws/credentials' }),
      result('guarded', 'blocked by hook', 'Error: blocked', true),
      use('unseen', 'Bash', { command: 'true' }),
      result('unseen', '', { stdout: '', stderr: '' }),
      use('recorded', 'Bash', { command: 'true' }),
      result('recorded', '', { stdout: '', stderr: '' }),
      use('running', 'Bash', { command: 'sleep 100' }),
    ]),
  );
  writeFileSync(
    join(root, 'projects', SESSION, 'subagents', 'agent-a1.jsonl'),
    jsonl([use('sub', 'Read', { file_path: 'README.md' }), result('sub', 'text', null)]),
  );
  writeFileSync(
    join(root, 'projects', SESSION, 'subagents', 'agent-a1.meta.json'),
    JSON.stringify({ agentType: 'Explore', toolUseId: 'agent' }),
  );
  const logDir = join(root, 'audit');
  mkdirSync(logDir);
  writeFileSync(join(logDir, '2026-12-01.jsonl'), `${logLines.join('\n')}\n`);
  const sink = auditSink(logDir, policy, new Date('2026-12-01T11:00:00Z'));
  const read = () => auditRecords(logDir);
  return { sink, transcript, read };
}

describe('records from the transcript', () => {
  const logged = [
    pre('ok'),
    pre('fails'),
    pre('refused'),
    pre('agent', { tool_name: 'Agent' }),
    pre('guarded', { decision: 'deny', rule: 'secrets-cloud-credentials', layer: 'guard' }),
    pre('recorded'),
    JSON.stringify({ event: 'PostToolUse', session_id: SESSION, tool_use_id: 'recorded' }),
    pre('running'),
    pre('sub', { agent_id: 'a1', agent_type: 'Explore', tool_name: 'Read' }),
  ];

  it('writes what a PostToolUse hook would have, for the calls the hook let through', () => {
    const { sink, transcript, read } = setup(logged);
    // Five finished calls, the prompt, the subagent's start and (its Agent call returned) stop.
    expect(recordFromTranscript(sink, SESSION, transcript)).toBe(8);
    const made = read().filter((r) => r.event.startsWith('PostToolUse'));
    const by = Object.fromEntries(made.map((r) => [r.tool_use_id, r]));
    // Denied by the hook, never seen by it, already recorded, still running: nothing.
    expect(Object.keys(by).sort()).toEqual(['agent', 'fails', 'ok', 'recorded', 'refused', 'sub']);
    expect(made.filter((r) => r.tool_use_id === 'recorded')).toHaveLength(1);
    expect(by.ok).toMatchObject({
      event: 'PostToolUse',
      ts: '2026-12-01T10:00:01.000Z',
      prompt_id: 'prompt-1',
    });
    expect(JSON.stringify(by.ok)).not.toContain(TOKEN);
    expect(by.fails).toMatchObject({ event: 'PostToolUseFailure', tool_name: 'Bash' });
    expect(by.refused).toMatchObject({ decision: 'deny', rule: 'sandbox-enabled', layer: 'sandbox' });
    expect(by.agent).toMatchObject({ tool_name: 'Agent', child_agent_id: 'a1' });
    expect(by.sub).toMatchObject({ agent_id: 'a1', agent_type: 'Explore', tool_name: 'Read' });
    const lifecycle = read().filter((r) => !r.tool_use_id);
    expect(lifecycle.map((r) => [r.event, r.agent_id])).toEqual([
      ['UserPromptSubmit', null],
      ['SubagentStart', 'a1'],
      ['SubagentStop', 'a1'],
    ]);
    expect(lifecycle[0]).toMatchObject({
      ts: '2026-12-01T09:59:59.000Z',
      prompt_id: 'prompt-1',
      prompt: 'work',
    });
    expect(lifecycle[1]).toMatchObject({ ts: '2026-12-01T10:00:00.000Z', agent_type: 'Explore' });
  });

  it('names the launch directory on a permission-rule refusal of a session started in a package', () => {
    const { sink, transcript, read } = setup(logged);
    appendFileSync(
      transcript,
      jsonl([
        use('denied', 'Read', { file_path: '/repo/.env' }),
        result('denied', 'Permission to use Read has been denied.', 'Error: denied', true),
      ]),
    );
    recordFromTranscript({ ...sink, ctx: { ...sink.ctx, launchDir: 'packages/api' } }, SESSION, transcript);
    const denied = read().find((r) => r.tool_use_id === 'denied');
    expect(denied).toMatchObject({ event: 'PreToolUse', layer: 'rule', launch_dir: 'packages/api' });
  });

  it('adds nothing twice when it runs again', () => {
    const { sink, transcript, read } = setup(logged);
    recordFromTranscript(sink, SESSION, transcript);
    const once = read().length;
    expect(recordFromTranscript(sink, SESSION, transcript)).toBe(0);
    expect(read()).toHaveLength(once);
  });

  it("applies the spine's own redaction patterns to every record, and says a broken one once", () => {
    const { sink, transcript, read } = setup(logged);
    const warned: string[] = [];
    sink.policy = {
      ...policy,
      redact: [
        { id: 'broken', pattern: '(unclosed' },
        { id: 'commands', pattern: '\\b(?:curl|false|cat)\\b' },
      ],
    };
    sink.warn = (message) => warned.push(message);
    recordFromTranscript(sink, SESSION, transcript);
    const commands = read()
      .filter((r) => r.event.startsWith('PostToolUse') && r.tool_name === 'Bash')
      .map((r) => (r.tool_input as { command: string }).command);
    expect(commands).toHaveLength(3);
    for (const command of commands) expect(command).toMatch(/^\[REDACTED/);
    expect(warned.filter((m) => m.includes('(unclosed'))).toHaveLength(1);
  });

  it('reads each turn only what came after the last settled line, and a call finished later still counts', () => {
    const { sink, transcript, read } = setup(logged);
    recordFromTranscript(sink, SESSION, transcript);
    const cursor = join(sink.logDir, '.cursor', `${SESSION}.json`);
    const resume = JSON.parse(readFileSync(cursor, 'utf8')).transcripts[transcript];
    // The settled part is not read again: garbage there would otherwise be parsed.
    expect(resume).toBeGreaterThan(0);
    expect(resume).toBeLessThan(readFileSync(transcript).length);
    appendFileSync(transcript, jsonl([result('running', 'slept', { stdout: 'slept', stderr: '' })]));
    expect(recordFromTranscript(sink, SESSION, transcript, true)).toBe(1);
    expect(
      read()
        .filter((r) => r.tool_use_id === 'running')
        .map((r) => r.event),
    ).toEqual(['PreToolUse', 'PostToolUse']);
    // The session is over: its cursor goes.
    expect(existsSync(cursor)).toBe(false);
  });
});

/**
 * A later turn's Stop reads only what the audit log gained since the last one, from a position
 * saved in the cursor. Both are files the agent can write: any doubt means the whole scan. A
 * PostToolUse record planted in the part already read tells the two apart: the whole scan sees
 * that the call is recorded and writes nothing, a read of the appended part alone writes it.
 */
describe('the audit log read from the saved position', () => {
  const logged = [pre('ok'), pre('fails'), pre('refused'), pre('agent', { tool_name: 'Agent' }), pre('sub')];
  const DAY = '2026-12-01.jsonl';

  /** One Stop done; then a turn with call `late`: its result in the transcript, its PreToolUse logged. */
  function afterFirstStop(prepare?: (logDir: string) => void) {
    const t = setup(logged);
    prepare?.(t.sink.logDir);
    recordFromTranscript(t.sink, SESSION, t.transcript);
    appendFileSync(
      t.transcript,
      jsonl([use('late', 'Bash', { command: 'true' }), result('late', '', { stdout: '', stderr: '' })]),
    );
    const log = join(t.sink.logDir, DAY);
    const cursor = join(t.sink.logDir, '.cursor', `${SESSION}.json`);
    const lateRecords = () => t.read().filter((r) => r.tool_use_id === 'late' && r.event === 'PostToolUse');
    /** The log's first line turned into a PostToolUse record of `late`, the file's length kept. */
    const plantDone = (text: string) => {
      const [first, ...rest] = text.split('\n');
      const done = JSON.stringify({ event: 'PostToolUse', session_id: SESSION, tool_use_id: 'late' });
      return [done.padEnd(first!.length, ' '), ...rest].join('\n');
    };
    return { ...t, log, cursor, lateRecords, plantDone };
  }

  it('a later Stop reads only what was appended: the part read before is not read again', () => {
    const t = afterFirstStop();
    const saved = JSON.parse(readFileSync(t.cursor, 'utf8')).audit;
    expect(saved.files[DAY].offset).toBeGreaterThan(0);
    expect(saved.files[DAY].ino).toBe(statSync(t.log).ino);
    writeFileSync(t.log, t.plantDone(readFileSync(t.log, 'utf8')));
    appendLine(t.log, pre('late'));
    expect(recordFromTranscript(t.sink, SESSION, t.transcript)).toBe(1);
    // The planted record and the one written.
    expect(t.lateRecords()).toHaveLength(2);
  });

  it('a Stop with no call finished since the last reads no log and keeps the saved position', () => {
    const t = setup(logged);
    recordFromTranscript(t.sink, SESSION, t.transcript);
    const cursor = join(t.sink.logDir, '.cursor', `${SESSION}.json`);
    const saved = JSON.parse(readFileSync(cursor, 'utf8')).audit;
    appendLine(join(t.sink.logDir, DAY), pre('late'));
    expect(recordFromTranscript(t.sink, SESSION, t.transcript)).toBe(0);
    expect(JSON.parse(readFileSync(cursor, 'utf8')).audit).toEqual(saved);
    // The next turn's call: its PreToolUse record, appended before that Stop, is still read.
    appendFileSync(
      t.transcript,
      jsonl([use('late', 'Bash', { command: 'true' }), result('late', '', { stdout: '', stderr: '' })]),
    );
    expect(recordFromTranscript(t.sink, SESSION, t.transcript)).toBe(1);
  });

  it('a new day file is read whole', () => {
    const t = afterFirstStop();
    appendLine(join(t.sink.logDir, '2026-12-02.jsonl'), pre('late'));
    expect(recordFromTranscript(t.sink, SESSION, t.transcript)).toBe(1);
    expect(t.lateRecords()).toHaveLength(1);
  });

  const doubts: [string, (t: ReturnType<typeof afterFirstStop>) => void, ((logDir: string) => void)?][] = [
    [
      'the day file replaced (another inode)',
      (t) => {
        writeFileSync(`${t.log}.new`, t.plantDone(readFileSync(t.log, 'utf8')));
        renameSync(`${t.log}.new`, t.log);
      },
    ],
    [
      'the day file rewritten up to the saved offset',
      (t) => {
        const bytes = Buffer.from(t.plantDone(readFileSync(t.log, 'utf8')));
        const { offset } = JSON.parse(readFileSync(t.cursor, 'utf8')).audit.files[DAY];
        // The last line read before: `…"spine_version":"1.0.0"}` becomes `…"1.0.9"}`.
        expect(bytes.toString('utf8', offset - 4, offset)).toBe('0"}\n');
        bytes[offset - 4] = '9'.charCodeAt(0);
        writeFileSync(t.log, bytes);
      },
    ],
    [
      'the day file truncated',
      (t) => {
        const text = t.plantDone(readFileSync(t.log, 'utf8'));
        writeFileSync(t.log, text.split('\n').slice(0, 2).join('\n').concat('\n'));
      },
    ],
    [
      'a day file read before gone',
      (t) => renameSync(t.log, join(t.sink.logDir, 'old.txt')),
      // The day before holds the planted record from the start: read by the first Stop.
      (logDir) =>
        writeFileSync(
          join(logDir, '2026-11-30.jsonl'),
          `${JSON.stringify({ event: 'PostToolUse', session_id: SESSION, tool_use_id: 'late' })}\n`,
        ),
    ],
    [
      'a cursor naming a day file that is not a day file',
      (t) => {
        writeFileSync(t.log, t.plantDone(readFileSync(t.log, 'utf8')));
        const c = JSON.parse(readFileSync(t.cursor, 'utf8'));
        c.audit.files['../x.jsonl'] = c.audit.files[DAY];
        writeFileSync(t.cursor, JSON.stringify(c));
      },
    ],
    [
      'an offset that is not a whole number',
      (t) => {
        writeFileSync(t.log, t.plantDone(readFileSync(t.log, 'utf8')));
        const c = JSON.parse(readFileSync(t.cursor, 'utf8'));
        c.audit.files[DAY].offset += 0.5;
        writeFileSync(t.cursor, JSON.stringify(c));
      },
    ],
    [
      'a tail that does not fit the offset',
      (t) => {
        writeFileSync(t.log, t.plantDone(readFileSync(t.log, 'utf8')));
        const c = JSON.parse(readFileSync(t.cursor, 'utf8'));
        c.audit.files[DAY].tail = Buffer.from('x').toString('base64');
        writeFileSync(t.cursor, JSON.stringify(c));
      },
    ],
    [
      'the cursor a link to a copy of itself',
      (t) => {
        writeFileSync(t.log, t.plantDone(readFileSync(t.log, 'utf8')));
        const copy = join(t.sink.logDir, 'elsewhere.json');
        renameSync(t.cursor, copy);
        symlinkSync(copy, t.cursor);
      },
    ],
    [
      'the cursor larger than any the hook writes',
      (t) => {
        writeFileSync(t.log, t.plantDone(readFileSync(t.log, 'utf8')));
        const c = JSON.parse(readFileSync(t.cursor, 'utf8'));
        c.padding = 'x'.repeat(1 << 20);
        writeFileSync(t.cursor, JSON.stringify(c));
      },
    ],
  ];

  it.each(doubts)('in doubt — %s — the whole log is scanned', (_, change, prepare) => {
    const t = afterFirstStop(prepare);
    change(t);
    appendLine(existsSync(t.log) ? t.log : join(t.sink.logDir, '2026-12-02.jsonl'), pre('late'));
    // The whole scan finds the planted record: nothing to write.
    expect(recordFromTranscript(t.sink, SESSION, t.transcript)).toBe(0);
    expect(t.lateRecords()).toHaveLength(1);
  });

  it('a call begun before the last Stop: the whole scan finds its PreToolUse record', () => {
    const t = setup([...logged, pre('running')]);
    recordFromTranscript(t.sink, SESSION, t.transcript);
    appendFileSync(t.transcript, jsonl([result('running', 'slept', { stdout: 'slept', stderr: '' })]));
    expect(recordFromTranscript(t.sink, SESSION, t.transcript)).toBe(1);
  });
});

/**
 * Prompts and subagents, read from the transcript the way 2.1.197 and 2.1.332 write them: what
 * the UserPromptSubmit, SubagentStart and SubagentStop hooks wrote before they were dropped.
 */
