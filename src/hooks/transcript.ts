import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Claude Code's session transcript, as verified with client 2.1.197: the main agent's lines in
 * `<projects>/<slug>/<session>.jsonl`, each subagent's in `<session>/subagents/agent-<id>.jsonl`
 * with `agent-<id>.meta.json` beside it (`agentType`, and `toolUseId` of the Agent call that
 * started it). An assistant line holds `tool_use` blocks (id, name, input); the user line after
 * it holds the `tool_result` blocks (tool_use_id, content, is_error) and, on the line itself,
 * `toolUseResult` (what a PostToolUse hook gets as `tool_response`: Bash {stdout, stderr}, Agent
 * {agentId, …}, an error text), `timestamp`, `cwd` and `promptId`.
 */
export interface TranscriptFile {
  path: string;
  /** null for the main agent. */
  agentId: string | null;
  agentType: string | null;
}

/** One tool call and, once it finished, its result. */
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
  agentId: string | null;
  agentType: string | null;
  result?: {
    ts: string | undefined;
    isError: boolean;
    /** The text the model saw. */
    text: string;
    /** The structured result (`toolUseResult`). */
    response: unknown;
    cwd: string | undefined;
    promptId: string | undefined;
  };
}

/** The session's transcript files: the main one first, then each subagent's. */
export function transcriptFiles(transcriptPath: string): TranscriptFile[] {
  const files: TranscriptFile[] = [{ path: transcriptPath, agentId: null, agentType: null }];
  const subagents = join(transcriptPath.replace(/\.jsonl$/, ''), 'subagents');
  if (!existsSync(subagents)) return files;
  for (const f of readdirSync(subagents).sort()) {
    const m = /^agent-(.+)\.jsonl$/.exec(f);
    if (!m) continue;
    let agentType: string | null = null;
    try {
      const meta = JSON.parse(readFileSync(join(subagents, `agent-${m[1]}.meta.json`), 'utf8'));
      if (typeof meta?.agentType === 'string') agentType = meta.agentType;
    } catch {
      // No metadata (older clients): the type stays unknown.
    }
    files.push({ path: join(subagents, f), agentId: m[1]!, agentType });
  }
  return files;
}

interface Entry {
  timestamp?: string;
  cwd?: string;
  promptId?: string;
  toolUseResult?: unknown;
  message?: { content?: unknown };
}

/** Every tool call in one transcript file, in order. An unreadable file or line is passed over. */
export function readToolCalls(file: TranscriptFile): ToolCall[] {
  let text: string;
  try {
    text = readFileSync(file.path, 'utf8');
  } catch {
    return [];
  }
  const calls = new Map<string, ToolCall>();
  for (const line of text.split('\n')) {
    // Most lines are neither tool calls nor results: skip them without parsing.
    if (!line.includes('"tool_')) continue;
    let entry: Entry;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const content = entry.message?.content;
    if (!Array.isArray(content)) continue;
    for (const block of content as Record<string, unknown>[]) {
      if (!block || typeof block !== 'object') continue;
      if (block.type === 'tool_use' && typeof block.id === 'string') {
        calls.set(block.id, {
          id: block.id,
          name: String(block.name),
          input: block.input,
          agentId: file.agentId,
          agentType: file.agentType,
        });
      } else if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') {
        const call = calls.get(block.tool_use_id);
        if (!call) continue;
        call.result = {
          ts: entry.timestamp,
          isError: block.is_error === true,
          text: resultText(block.content),
          response: entry.toolUseResult,
          cwd: entry.cwd,
          promptId: entry.promptId,
        };
      }
    }
  }
  return [...calls.values()];
}

/** The first timestamp in a transcript: when the session began (to bound the log files read). */
export function transcriptStart(transcriptPath: string): string | undefined {
  try {
    const text = readFileSync(transcriptPath, 'utf8');
    return /"timestamp":"([^"]+)"/.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

function resultText(content: unknown): string {
  const text = Array.isArray(content)
    ? content
        .map((c) => (c && typeof c === 'object' ? String((c as { text?: unknown }).text ?? '') : ''))
        .join('\n')
    : String(content ?? '');
  return text
    .replace(/<\/?tool_use_error>/g, '')
    .replace(/^Error:\s*/, '')
    .trim();
}
