import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeHome, runClaude } from '../helpers/claude.js';
import { gitdir } from '../helpers/gitdir.js';
import { startModelServer } from '../helpers/model-server.js';
import { runCli } from '../helpers/run-cli.js';
import { bash } from '../helpers/scripted-session.js';

/**
 * Finished calls are recorded from the transcript at Stop and SessionEnd, not by a hook per call.
 * A session killed outright (SIGKILL: no Stop, no SessionEnd) leaves its finished calls without
 * records; the next session's SessionStart rebuilds them from the killed session's transcript.
 */

function auditLines(repo: string): Record<string, any>[] {
  const dir = join(repo, '.spine/audit');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l));
}

/** Everything the client has written to its transcripts under this home so far. */
function transcriptText(home: string): string {
  const projects = join(home, '.claude/projects');
  if (!existsSync(projects)) return '';
  return readdirSync(projects)
    .flatMap((d) =>
      readdirSync(join(projects, d))
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => readFileSync(join(projects, d, f), 'utf8')),
    )
    .join('');
}

async function until(test: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A repository onboarded onto the embedded spine, and a home for the client. */
async function onboarded() {
  const repo = gitdir({ 'README.md': '# app\n' });
  const init = await runCli(['init', '--yes', '--team', 't', '--champion', 'c'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  return { repo, home: claudeHome() };
}

/** A session whose client is stopped with `signal` while its fourth call runs. */
async function interruptedSession(signal: NodeJS.Signals) {
  const { repo, home } = await onboarded();
  const server = await startModelServer({
    main: [
      { tools: [bash('true 1')] },
      { tools: [{ name: 'Read', input: { file_path: 'README.md' } }] },
      { tools: [bash('true 2')] },
      { tools: [bash('sleep 20')] },
      { text: 'never reached' },
    ],
  });
  const abort = new AbortController();
  const run = runClaude({
    prompt: 'work',
    cwd: repo,
    home,
    baseUrl: server.baseUrl,
    args: ['--allowedTools', 'Bash', 'Read'],
    timeoutMs: 120_000,
    killSignal: signal,
    signal: abort.signal,
  });
  // Newer clients buffer transcript lines for a moment: wait until the third call's result is
  // written, since spine can rebuild only what the transcript holds when the client dies.
  await until(
    () =>
      auditLines(repo).some((l) => l.event === 'PreToolUse' && l.tool_input?.command === 'sleep 20') &&
      transcriptText(home).includes('"tool_use_id":"toolu_main_2_0"'),
    90_000,
  );
  abort.abort();
  await run;
  await server.close();
  // Whatever the client still does after the signal (a SessionEnd hook) has a moment to finish.
  await new Promise((r) => setTimeout(r, 2000));
  return { repo, home, session: auditLines(repo).find((l) => l.event === 'PreToolUse')!.session_id };
}

const finishedCalls = (lines: Record<string, any>[], session: string) =>
  lines
    .filter((l) => l.event === 'PostToolUse' && l.session_id === session)
    .map((l) => l.tool_input?.command ?? l.tool_input?.file_path)
    .sort();

const prompts = (lines: Record<string, any>[], session: string) =>
  lines.filter((l) => l.event === 'UserPromptSubmit' && l.session_id === session).map((l) => l.prompt);

/** The cursors in the audit directory: one per session begun and not ended. */
const cursors = (repo: string) => {
  const dir = join(repo, '.spine/audit/.cursor');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe.concurrent('a session stopped mid-turn', () => {
  it('SIGTERM: the client still ends the session, and SessionEnd records the finished calls', async () => {
    const { repo, session } = await interruptedSession('SIGTERM');
    const lines = auditLines(repo);
    expect(lines.filter((l) => l.event === 'SessionEnd')).toHaveLength(1);
    expect(finishedCalls(lines, session)).toEqual(['README.md', 'true 1', 'true 2']);
    expect(prompts(lines, session)).toEqual(['work']);
  }, 200_000);

  it('SIGKILL: no Stop, no SessionEnd; the next session rebuilds the finished calls', async () => {
    const { repo, home, session } = await interruptedSession('SIGKILL');
    const before = auditLines(repo);
    expect(before.filter((l) => l.event === 'PreToolUse')).toHaveLength(4);
    expect(before.filter((l) => l.event === 'Stop' || l.event === 'SessionEnd')).toEqual([]);
    expect(finishedCalls(before, session)).toEqual([]);
    // The prompt too is read from the transcript at the end of the turn, which never came.
    expect(prompts(before, session)).toEqual([]);

    const server = await startModelServer({ main: [{ tools: [bash('true 3')] }, { text: 'done' }] });
    const next = await runClaude({
      prompt: 'work',
      cwd: repo,
      home,
      baseUrl: server.baseUrl,
      args: ['--allowedTools', 'Bash', 'Read'],
      // A transcript counts as settled at once here; by default after ten quiet minutes.
      env: { SPINE_SETTLED_MS: '0' },
      timeoutMs: 120_000,
    });
    await server.close();
    expect(next.code, next.stderr).toBe(0);

    const after = auditLines(repo);
    // The call that never finished has no result; nothing is recorded twice.
    expect(finishedCalls(after, session)).toEqual(['README.md', 'true 1', 'true 2']);
    expect(prompts(after, session)).toEqual(['work']);
    const post = after.filter((l) => l.event === 'PostToolUse');
    expect(new Set(post.map((l) => `${l.session_id} ${l.tool_use_id}`)).size).toBe(post.length);
    expect(post.filter((l) => l.session_id !== session)).toHaveLength(1);
    expect(cursors(repo)).toEqual([]);
  }, 240_000);

  it('SIGKILL in a turn without a tool call: the next session still records its prompt', async () => {
    const { repo, home } = await onboarded();
    // The model never answers: the client is killed while it waits, its prompt in the transcript.
    const server = await startModelServer({ main: [{ hang: true }] });
    const abort = new AbortController();
    const run = runClaude({
      prompt: 'a question only',
      cwd: repo,
      home,
      baseUrl: server.baseUrl,
      timeoutMs: 120_000,
      killSignal: 'SIGKILL',
      signal: abort.signal,
    });
    // SessionStart (async) has marked the session open, and the client has written the prompt.
    await until(() => cursors(repo).length === 1 && transcriptText(home).includes('a question only'), 90_000);
    abort.abort();
    await run;
    await server.close();
    const killed = cursors(repo)[0]!.replace(/\.json$/, '');
    // Nothing marks the session as a killed one but its cursor: no call, no Stop, no SessionEnd.
    expect(auditLines(repo).filter((l) => l.session_id === killed && l.event !== 'SessionStart')).toEqual([]);

    const next = await startModelServer({ main: [{ text: 'done' }] });
    const after = await runClaude({
      prompt: 'work',
      cwd: repo,
      home,
      baseUrl: next.baseUrl,
      env: { SPINE_SETTLED_MS: '0' },
      timeoutMs: 120_000,
    });
    await next.close();
    expect(after.code, after.stderr).toBe(0);
    const lines = auditLines(repo);
    expect(prompts(lines, killed)).toEqual(['a question only']);
    // Both sessions are over now: the killed one backfilled, the next ended by its SessionEnd.
    expect(cursors(repo)).toEqual([]);
    const again = lines.filter((l) => l.event === 'UserPromptSubmit');
    expect(new Set(again.map((l) => `${l.session_id} ${l.prompt_id}`)).size).toBe(again.length);
  }, 240_000);
});
