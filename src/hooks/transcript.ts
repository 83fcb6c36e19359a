import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
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
  /** A subagent's: the Agent call that started it (`toolUseId` of its metadata). */
  toolUseId?: string;
  /** A subagent's metadata says it has finished (`finished`, written by 2.1.332 and later). */
  finished?: boolean;
}

/**
 * A prompt that started a turn of the main agent — what a UserPromptSubmit hook gets as `prompt`:
 * the first user line of each `promptId` that is not a tool result nor the client's own
 * (`isMeta`, a compaction summary). A slash command is written as `<command-name>` and
 * `<command-args>` tags and is given back as `/name args`, as the hook had it.
 */
export interface TranscriptPrompt {
  id: string;
  text: string;
  ts: string | undefined;
  /** The byte offset of its line in the file. */
  offset: number;
}

/** How a subagent's transcript begins: when, and under which prompt of the main agent. */
export interface SubagentBegan {
  ts: string | undefined;
  promptId: string | undefined;
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
    /**
     * How the client decided to run the call (2.1.332 and later write it beside each result):
     * `accept`/`reject` and who — `user_temporary`, `user_permanent`, `user_reject`, `config`, `hook`.
     */
    permission?: { decision: string; source: string };
    /** Whether the OS sandbox ran the call (2.1.332 and later write it beside a Bash result). */
    sandboxed?: boolean;
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
    const file: TranscriptFile = { path: join(subagents, f), agentId: m[1]!, agentType: null };
    try {
      const meta = JSON.parse(readFileSync(join(subagents, `agent-${m[1]}.meta.json`), 'utf8'));
      if (typeof meta?.agentType === 'string') file.agentType = meta.agentType.slice(0, 200);
      if (typeof meta?.toolUseId === 'string') file.toolUseId = meta.toolUseId;
      if (meta?.finished === true) file.finished = true;
    } catch {
      // No metadata (older clients): the type stays unknown.
    }
    files.push(file);
  }
  return files;
}

interface Entry {
  type?: unknown;
  isMeta?: unknown;
  isCompactSummary?: unknown;
  timestamp?: string;
  cwd?: string;
  promptId?: string;
  toolUseResult?: unknown;
  permissionDecision?: { decision?: unknown; source?: unknown };
  sandboxed?: unknown;
  message?: { content?: unknown };
}

/** The tool calls of one transcript file from a byte offset on, and where to start next time. */
export interface ToolCallsRead {
  calls: ToolCall[];
  /**
   * The offset of the first line holding a call without its result (or the end of the last
   * whole line): everything before it is settled and need not be read again.
   */
  resume: number;
  /** The main agent's prompts that begin in the part read. */
  prompts: TranscriptPrompt[];
  /** Read from the file's start: how it begins. */
  began?: SubagentBegan;
  /** The end of the last whole line read: every prompt before it has been seen. */
  end: number;
}

/**
 * Every tool call in one transcript file from byte `from` on, in order. Only whole lines are read
 * (the client may be writing the last one). An unreadable file or line is passed over.
 */
export function readToolCalls(file: TranscriptFile, from = 0): ToolCallsRead {
  const bytes = readFrom(file.path, from);
  if (!bytes) return { calls: [], resume: from, prompts: [], end: from };
  const calls = new Map<string, ToolCall>();
  /** Line offsets of the calls still without a result. */
  const open = new Map<string, number>();
  const prompts = new Map<string, TranscriptPrompt>();
  const main = file.agentId === null;
  let began: SubagentBegan | undefined;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(10, start);
    if (end < 0) break;
    const line = bytes.subarray(start, end);
    const at = start;
    start = end + 1;
    const first = from === 0 && at === 0 && !main;
    // Most lines are neither tool calls, results nor prompts: skip them without decoding.
    const tools = line.includes(TOOL_MARK);
    if (!tools && !first && !(main && line.includes(PROMPT_MARK))) continue;
    let entry: Entry;
    try {
      entry = JSON.parse(line.toString('utf8'));
    } catch {
      continue;
    }
    if (!entry || typeof entry !== 'object') continue;
    if (first) began = { ts: str(entry.timestamp), promptId: str(entry.promptId) };
    const content = entry.message?.content;
    if (main) {
      const prompt = promptOf(entry, content);
      if (prompt && !prompts.has(prompt.id)) prompts.set(prompt.id, { ...prompt, offset: from + at });
    }
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
        open.set(block.id, from + at);
      } else if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') {
        const call = calls.get(block.tool_use_id);
        if (!call) continue;
        open.delete(block.tool_use_id);
        call.result = {
          ts: entry.timestamp,
          isError: block.is_error === true,
          text: resultText(block.content),
          response: entry.toolUseResult,
          cwd: entry.cwd,
          promptId: entry.promptId,
          ...permissionOf(entry.permissionDecision),
          ...(typeof entry.sandboxed === 'boolean' ? { sandboxed: entry.sandboxed } : {}),
        };
      }
    }
  }
  const resume = open.size > 0 ? Math.min(...open.values()) : from + start;
  return {
    calls: [...calls.values()],
    resume,
    prompts: [...prompts.values()],
    ...(began ? { began } : {}),
    end: from + start,
  };
}

const TOOL_MARK = Buffer.from('"tool_');
const PROMPT_MARK = Buffer.from('"promptId"');

/** The prompt a user line of the main agent holds, if it is one (see TranscriptPrompt). */
function promptOf(entry: Entry, content: unknown): Omit<TranscriptPrompt, 'offset'> | undefined {
  const id = str(entry.promptId);
  if (entry.type !== 'user' || !id || entry.isMeta === true || entry.isCompactSummary === true)
    return undefined;
  let text: string;
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    const blocks = content as { type?: unknown; text?: unknown }[];
    if (!blocks.every((b) => b && typeof b === 'object' && b.type !== 'tool_result')) return undefined;
    text = blocks
      .filter((b) => b.type === 'text' && typeof b.text === 'string')
      .map((b) => b.text)
      .join('\n');
  } else return undefined;
  if (text.startsWith('[Request interrupted')) return undefined;
  const command = /<command-name>([^<]*)<\/command-name>/.exec(text);
  if (command) {
    const name = command[1]!.trim();
    const args = /<command-args>([\s\S]*?)<\/command-args>/.exec(text)?.[1]?.trim() ?? '';
    text = `${name.startsWith('/') ? name : `/${name}`}${args ? ` ${args}` : ''}`;
  }
  return { id, text, ts: str(entry.timestamp) };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function permissionOf(value: Entry['permissionDecision']): {
  permission?: { decision: string; source: string };
} {
  if (!value || typeof value !== 'object') return {};
  const { decision, source } = value;
  if (typeof decision !== 'string' || typeof source !== 'string') return {};
  return { permission: { decision: decision.slice(0, 40), source: source.slice(0, 40) } };
}

function readFrom(path: string, from: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= from) return undefined;
    const bytes = Buffer.alloc(size - from);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return bytes.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The first timestamp in a transcript: when the session began (to bound the log files read). */
export function transcriptStart(transcriptPath: string): string | undefined {
  const head = Buffer.alloc(64 * 1024);
  let fd: number;
  try {
    fd = openSync(transcriptPath, 'r');
  } catch {
    return undefined;
  }
  try {
    const n = readSync(fd, head, 0, head.length, 0);
    return /"timestamp":"([^"]+)"/.exec(head.toString('utf8', 0, n))?.[1];
  } finally {
    closeSync(fd);
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
