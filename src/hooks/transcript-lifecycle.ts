import { statSync } from 'node:fs';
import { buildRecord } from './audit-record.js';
import type { Logged } from './logged-calls.js';
import type { SubagentBegan, ToolCall, TranscriptFile, TranscriptPrompt } from './transcript.js';
import type { AuditRecord, HookContext, HookPayload, HookPolicy } from './types.js';

/**
 * What of the session's prompts and subagents has been recorded, kept in the cursor so a turn's
 * Stop neither looks them up in the log nor writes them twice: the main transcript's prompts
 * before `prompts` (a byte offset), the subagents in `started` and `stopped`.
 */
export interface LifecycleSeen {
  prompts: number;
  started: string[];
  stopped: string[];
}

/** What one Stop read of the session's transcripts, for the lifecycle records. */
export interface LifecycleRead {
  files: readonly TranscriptFile[];
  prompts: readonly TranscriptPrompt[];
  /** How each subagent's transcript begins, for those read from their start, by agent id. */
  began: ReadonlyMap<string, SubagentBegan>;
  /** The main agent's tool calls read, with their results. */
  mainCalls: readonly ToolCall[];
  /** The end of what was read of the main transcript. */
  mainEnd: number;
}

/**
 * The UserPromptSubmit, SubagentStart and SubagentStop records of the session, rebuilt from the
 * transcript at the end of each turn instead of a hook process per event (docs/hooks.md): what
 * those hooks would have written, at the time the transcript gives. A prompt or subagent already
 * seen (`seen`) or in the log (`logged`: a hook of an earlier wiring wrote it) is skipped. A
 * subagent has stopped once its Agent call has its result (not a background launch's), its
 * metadata says it finished, or the session is over.
 */
export function lifecycleRecords(
  read: LifecycleRead,
  sessionId: string,
  seen: LifecycleSeen | undefined,
  logged: Logged,
  policy: HookPolicy,
  ctx: HookContext,
  final: boolean,
  warn: (message: string) => void,
): { records: AuditRecord[]; seen: LifecycleSeen } {
  const events = new Set(policy.audit?.events ?? []);
  const started = new Set(seen?.started);
  const stopped = new Set(seen?.stopped);
  const records: AuditRecord[] = [];
  const record = (payload: HookPayload, ts: string | undefined) =>
    records.push(buildRecord(payload, policy, undefined, at(ts, ctx.now), warn));

  for (const prompt of read.prompts) {
    if (prompt.offset < (seen?.prompts ?? 0) || logged.prompts.has(prompt.id)) continue;
    if (events.has('UserPromptSubmit'))
      record(
        {
          hook_event_name: 'UserPromptSubmit',
          session_id: sessionId,
          prompt_id: prompt.id,
          prompt: prompt.text,
        },
        prompt.ts,
      );
  }

  const returned = new Set<string>();
  for (const call of read.mainCalls)
    if (call.result && !isBackgroundLaunch(call.result.response)) returned.add(call.id);
  for (const file of read.files) {
    const id = file.agentId;
    if (id === null) continue;
    const agent = { session_id: sessionId, agent_id: id, agent_type: file.agentType ?? undefined };
    const began = read.began.get(id);
    if (!started.has(id) && began) {
      started.add(id);
      if (events.has('SubagentStart') && !logged.started.has(id))
        record(
          {
            hook_event_name: 'SubagentStart',
            ...agent,
            ...(began.promptId ? { prompt_id: began.promptId } : {}),
          },
          began.ts,
        );
    }
    const over =
      final || file.finished === true || (file.toolUseId !== undefined && returned.has(file.toolUseId));
    if (!stopped.has(id) && started.has(id) && over) {
      stopped.add(id);
      if (events.has('SubagentStop') && !logged.stopped.has(id))
        record(
          {
            hook_event_name: 'SubagentStop',
            ...agent,
            ...(began?.promptId ? { prompt_id: began.promptId } : {}),
          },
          lastWritten(file.path),
        );
    }
  }
  return {
    records,
    seen: {
      prompts: Math.max(seen?.prompts ?? 0, read.mainEnd),
      started: [...started],
      stopped: [...stopped],
    },
  };
}

/** An Agent call's result that only says the subagent was started in the background. */
function isBackgroundLaunch(response: unknown): boolean {
  return (
    Boolean(response) &&
    typeof response === 'object' &&
    (response as { status?: unknown }).status === 'async_launched'
  );
}

/** When a subagent's transcript was last written: when it stopped. */
function lastWritten(path: string): string | undefined {
  try {
    return statSync(path).mtime.toISOString();
  } catch {
    return undefined;
  }
}

function at(ts: string | undefined, now: Date): Date {
  const parsed = ts ? new Date(ts) : now;
  return Number.isNaN(parsed.getTime()) ? now : parsed;
}

/** A `LifecycleSeen` as read from the cursor file: undefined unless well formed. */
export function lifecycleSeen(value: unknown): LifecycleSeen | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { prompts, started, stopped } = value as Record<string, unknown>;
  const ids = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length <= 200);
  if (!Number.isSafeInteger(prompts) || (prompts as number) < 0 || !ids(started) || !ids(stopped))
    return undefined;
  return { prompts: prompts as number, started: started as string[], stopped: stopped as string[] };
}
