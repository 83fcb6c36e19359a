import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { claudeHome, runClaude } from './claude.js';
import { git, read, type Tree, varTmp, writeTree } from './gitdir.js';
import { startModelServer, type ToolResult, type ToolUse } from './model-server.js';
import { runCli } from './run-cli.js';

/** A Bash tool call the scripted model makes, named by its tool_use id (else the server's stable one). */
export const bash = (command: string, id?: string): ToolUse => ({
  name: 'Bash',
  input: { command, description: 'run' },
  ...(id ? { id } : {}),
});

/** `spine init` in `repo` (team t, champion @c unless `args` say otherwise); throws if it fails. */
export async function initSpine(
  repo: string,
  args: string[] = ['--team', 't', '--champion', '@c'],
  env?: Record<string, string>,
): Promise<void> {
  const init = await runCli(['init', '--yes', ...args], { cwd: repo, ...(env ? { env } : {}) });
  if (init.code !== 0) throw new Error(`spine init failed (${init.code}): ${init.stderr}`);
}

/** Rewrites `.claude/settings.json`: the control sessions take spine's hooks or guardrails out. */
export function editSettings(repo: string, edit: (settings: Record<string, any>) => void): void {
  const settings = JSON.parse(read(repo, '.claude/settings.json'));
  edit(settings);
  writeTree(repo, { '.claude/settings.json': JSON.stringify(settings, null, 2) });
}

/**
 * A person answering the client's permission prompts: a tiny MCP server behind
 * `--permission-prompt-tool` that allows a call unless its input says `refuse-me`.
 */
const PERSON_ARGS = [
  '--mcp-config',
  JSON.stringify({
    mcpServers: {
      person: {
        command: process.execPath,
        args: [fileURLToPath(new URL('./person-mcp.mjs', import.meta.url))],
      },
    },
  }),
  '--permission-prompt-tool',
  'mcp__person__approve',
];

export interface ScriptedSession {
  repo: string;
  code: number;
  stdout: string;
  stderr: string;
  /** Every request the client sent to the model, concatenated: where a leak would show. */
  sent: string;
  /** The tool results the client sent back, in order. */
  results: ToolResult[];
  /** The result of one call by its tool_use id ('<no result>' when the client sent none). */
  result(id: string): string;
  /** Whether the client sent the call's result as an error (undefined: it sent none). */
  failed(id: string): boolean | undefined;
  /** Where `value` reached the model, one short line per request (none: it never did). */
  leaks(value: string): string[];
}

export interface SessionOptions {
  prompt?: string;
  timeoutMs?: number;
  /** Ask a person (PERSON_ARGS) whatever the client would ask about, instead of allowing Bash. */
  person?: boolean;
  /** The client's home (a fresh one by default). */
  home?: string;
  env?: Record<string, string>;
}

/**
 * One real-client session in `repo`: the scripted model makes `calls` one turn each (a list: one
 * turn of calls made at once), then says done; the client runs offline, with Bash allowed.
 */
export async function scriptedSession(
  repo: string,
  calls: (ToolUse | ToolUse[])[],
  options: SessionOptions = {},
): Promise<ScriptedSession> {
  const turns = calls.map((t) => ({ tools: Array.isArray(t) ? t : [t] }));
  const server = await startModelServer({ main: [...turns, { text: 'done' }] });
  try {
    const run = await runClaude({
      prompt: options.prompt ?? 'Work on the project.',
      cwd: repo,
      baseUrl: server.baseUrl,
      home: options.home ?? claudeHome(),
      args: options.person ? PERSON_ARGS : ['--allowedTools', 'Bash'],
      ...(options.env ? { env: options.env } : {}),
      timeoutMs: options.timeoutMs ?? 240_000,
    });
    const results = server.toolResults('main');
    const byId = new Map(results.map((r) => [r.toolUseId, r]));
    return {
      repo,
      code: run.code,
      stdout: run.stdout,
      stderr: run.stderr,
      sent: server.everythingSent(),
      results,
      result: (id) => byId.get(id)?.text ?? '<no result>',
      failed: (id) => byId.get(id)?.isError,
      leaks: (value) => server.leaks(value),
    };
  } finally {
    await server.close();
  }
}

export interface DailyOptions {
  team: string;
  /** Groups `spine init` must say it installed. */
  groups: string[];
  /** false: the toolchain groups' home paths are taken out of the sandbox's writable ones. */
  toolchains: boolean;
  /** Files in the client's home besides `.claude/`. */
  home?: Tree;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Edits `.claude/settings.json` after init (a control session takes a guardrail out). */
  settings?: (settings: Record<string, any>) => void;
}

/**
 * A day of ordinary work in `repo` with the client's sandbox on: `spine init` committed, then
 * `calls` in a fresh home under /var/tmp (a read-only home would look writable under /tmp).
 * Without `toolchains` no home cache is writable: the control that shows what the groups open.
 */
export async function dailySession(
  repo: string,
  calls: (ToolUse | ToolUse[])[],
  options: DailyOptions,
): Promise<ScriptedSession & { home: string }> {
  const init = await runCli(['init', '--team', options.team, '--champion', '@lead', '--yes'], { cwd: repo });
  expect(init.code, init.stderr).toBe(0);
  for (const group of options.groups) expect(init.stdout).toContain(group);
  if (!options.toolchains)
    editSettings(repo, (settings) => {
      settings.sandbox.filesystem.allowWrite = settings.sandbox.filesystem.allowWrite.filter(
        (p: string) => !p.startsWith('~/'),
      );
    });
  if (options.settings) editSettings(repo, options.settings);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'spine');
  const home = varTmp('spine-daily-home-');
  writeTree(home, { '.claude/.keep': '', ...options.home });
  const run = await scriptedSession(repo, calls, {
    prompt: 'Do the day’s work.',
    home,
    ...(options.env ? { env: options.env } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  expect(run.code, run.stderr).toBe(0);
  return { ...run, home };
}
