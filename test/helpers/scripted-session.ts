import { claudeHome, runClaude } from './claude.js';
import { read, writeTree } from './gitdir.js';
import { startModelServer, type ToolResult, type ToolUse } from './model-server.js';
import { runCli } from './run-cli.js';

/** A Bash tool call the scripted model makes, named by its tool_use id. */
export const bash = (command: string, id: string): ToolUse => ({
  name: 'Bash',
  input: { command, description: 'run' },
  id,
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
}

/**
 * One real-client session in `repo`: the scripted model makes `calls` one turn each, then says
 * done; the client runs with Bash allowed, in a fresh home, offline.
 */
export async function scriptedSession(
  repo: string,
  calls: ToolUse[],
  options: { prompt?: string; timeoutMs?: number } = {},
): Promise<ScriptedSession> {
  const server = await startModelServer({ main: [...calls.map((t) => ({ tools: [t] })), { text: 'done' }] });
  try {
    const run = await runClaude({
      prompt: options.prompt ?? 'Work on the project.',
      cwd: repo,
      baseUrl: server.baseUrl,
      home: claudeHome(),
      args: ['--allowedTools', 'Bash'],
      timeoutMs: options.timeoutMs ?? 240_000,
    });
    const results = server.toolResults('main');
    const byId = new Map(results.map((r) => [r.toolUseId, r.text]));
    return {
      repo,
      code: run.code,
      stdout: run.stdout,
      stderr: run.stderr,
      sent: server.everythingSent(),
      results,
      result: (id) => byId.get(id) ?? '<no result>',
    };
  } finally {
    await server.close();
  }
}
