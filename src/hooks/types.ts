import type { HookPolicy } from '../core/render/hook-policy.js';
import type { LoadedCode } from './code-cache.js';

export type { HookPolicy };

/** The JSON Claude Code writes on the hook's stdin. Every field is optional in practice. */
export interface HookPayload {
  session_id?: string;
  transcript_path?: string;
  cwd?: string;
  prompt_id?: string;
  permission_mode?: string;
  agent_id?: string;
  agent_type?: string;
  hook_event_name?: string;
  tool_name?: string;
  tool_input?: unknown;
  tool_response?: unknown;
  tool_use_id?: string;
  prompt?: string;
  source?: string;
  reason?: string;
  /** Rebuilt from a 2.1.332+ transcript: whether the OS sandbox ran the call. */
  sandboxed?: boolean;
  [key: string]: unknown;
}

export type Decision = 'allow' | 'deny' | 'ask';

/** One line of `.spine/audit/<YYYY-MM-DD>.jsonl`. `spine audit` reads these back. */
export interface AuditRecord {
  ts: string;
  event: string;
  session_id: string | null;
  prompt_id?: string;
  /** null on the main agent's events. */
  agent_id: string | null;
  agent_type: string | null;
  tool_name: string | null;
  tool_use_id: string | null;
  tool_input?: unknown;
  /** PreToolUse only: what the spine's rules and guard say about the call. */
  decision?: Decision;
  /** The id of the spine guardrail behind the decision; null when none matched. */
  rule?: string | null;
  reason?: string;
  /** The layer behind a deny: the guard, a permission rule, or the OS sandbox (seen after the call). */
  layer?: Layer;
  /** PreToolUse: guardrails in `mode: evaluate` that would have refused this call. */
  evaluated?: WouldBe[];
  /** A guardrail that stopped ordinary work on this call: what class of thing it refused. */
  friction?: Friction;
  /** After a call a spine rule sent to a person: what the person answered (ask-outcome.ts). */
  ask?: AskOutcome;
  /**
   * PostToolUse/PostToolUseFailure rebuilt from a transcript that says so (client 2.1.332 and
   * later, Bash): whether the OS sandbox ran the call.
   */
  sandboxed?: boolean;
  /** PostToolUse of the Agent tool: the id of the subagent it ran, the edge of the agent tree. */
  child_agent_id?: string;
  /** PreSkillShellCommand: the skill or command whose `!` shell line this is. */
  skill?: string;
  /** The directory the session was started in, relative to the repo root, when not the root. */
  launch_dir?: string;
  /** The team zone of the record (docs/monorepos.md): a label only, never part of a decision. */
  zone?: string;
  prompt?: string;
  /**
   * UserPromptSubmit only: `task-notification` when the prompt is a background subagent's report
   * to the main agent (client 2.1.198 and later), not a person's prompt.
   */
  prompt_kind?: 'task-notification';
  /** SessionStart source, SessionEnd reason. */
  detail?: string;
  spine_version: string;
}

/** The world the hook sees, injected so the pure parts can be tested without a process. */
export interface HookContext {
  projectDir: string;
  /** The launch directory relative to the project, when the session started below its root. */
  launchDir?: string;
  /** The team zone of a path, when the repo declares zones: labels records, decides nothing. */
  zoneOf?: (path: string) => string | undefined;
  /** Where relative paths in a command resolve: the payload's cwd, else the project. */
  cwd: string;
  home: string;
  now: Date;
}

/** What a guardrail decided about one tool call. */
export interface Verdict {
  decision: Decision;
  rule: string | null;
  reason?: string;
  /** Which layer stopped the call, where spine can know it. */
  layer?: Layer;
  /** Guardrails in `mode: evaluate` that would have refused the call (they let it through). */
  evaluated?: WouldBe[];
}

/**
 * A refusal of ordinary work: the sandbox refusing a path or host that is not secret, the guard
 * refusing a command that prints no file's contents. `class` names what was refused at the grain
 * a spine change names it (`~/.npm`, `registry.npmjs.org`, `wc`): never a value or contents.
 */
export interface Friction {
  layer: Layer;
  /**
   * write: a read-only path; access: a path refused outright; network: a blocked host; command: a
   * guard refusal; workaround: a spine deny rule refused a call and a later one got the same done.
   */
  kind: 'write' | 'access' | 'network' | 'command' | 'workaround';
  class: string;
  /** The guardrail behind it: the sandbox's, or the secret path the guard matched. */
  guardrail?: string;
}

/**
 * The answer to an ask gate. `allowed`/`refused` from the client's own record of the decision
 * (2.1.332 and later), or `allowed` because the call ran without error; `unknown` when an older
 * client's error result cannot tell a refusal from a failed run.
 */
export interface AskOutcome {
  rule: string;
  outcome: 'allowed' | 'refused' | 'unknown';
  /** The client's `permissionDecision.source` (`user_temporary`, `user_reject`, …), when it wrote one. */
  source?: string /** Who was asked, as a pseudonym (person-id.ts), when git knows who works in the project. */;
  person?: string;
}

/** A would-be refusal of an evaluated guardrail. */
export interface WouldBe {
  rule: string;
  decision: 'deny' | 'ask';
  layer: Layer;
}

/** guard: the PreToolUse hook; rule: a spine permission rule; sandbox: the OS sandbox. */
export type Layer = 'guard' | 'rule' | 'sandbox';

/** What the entry (entry.ts) hands the guard's code (main.ts) it loaded. */
export interface HookHost {
  /** The event's JSON as read from stdin ('' for the exporter). */
  raw: string;
  /** `raw` parsed, or why it does not parse. */
  parsed: { payload: unknown } | { error: Error };
  /** The file the client runs, `spine-hook.cjs`: the exporter is started through it. */
  entryFile: string;
  /** Runs another file of the hook through the code cache (code-cache.ts), for an event of `kind`. */
  load(file: string, kind: string): LoadedCode;
}
