import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decide } from './decide.js';
import { redactValue } from './redact.js';
import type { AuditRecord, HookContext, HookPolicy } from './types.js';

/**
 * What Claude Code answers when its own permission rules stop a call. A static deny on a file
 * tool is decided before any hook runs (verified with client 2.1.197: no PreToolUse, no
 * PermissionDenied, no PostToolUseFailure and no OpenTelemetry tool_decision fires), so the
 * transcript's tool result is the only trace of the most common near-miss.
 */
const DENIED = [
  /denied by your permission settings/i,
  /^Permission to use \S+ (?:with .*)?has been denied/i,
  /requested permissions to use \S+, but you haven't granted it yet/i,
];

interface ToolUse {
  name: string;
  input: unknown;
  agentId: string | null;
}

/**
 * Audit records for calls the client's permission rules stopped without the hook seeing them,
 * found in the session's transcripts (the main one and each subagent's), attributed to the
 * spine guardrail whose rule covers the call. Calls no spine rule covers are the team's own and
 * are not near-misses of the spine. `seen` holds tool_use ids the hook already recorded.
 */
export function transcriptDenials(
  transcriptPath: string,
  sessionId: string,
  seen: ReadonlySet<string>,
  policy: HookPolicy,
  ctx: HookContext,
): AuditRecord[] {
  const files: { path: string; agentId: string | null }[] = [{ path: transcriptPath, agentId: null }];
  const subagents = join(transcriptPath.replace(/\.jsonl$/, ''), 'subagents');
  if (existsSync(subagents))
    for (const f of readdirSync(subagents))
      if (/^agent-.+\.jsonl$/.test(f))
        files.push({ path: join(subagents, f), agentId: basename(f, '.jsonl').slice(6) });
  const out: AuditRecord[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch {
      continue;
    }
    const uses = new Map<string, ToolUse>();
    for (const line of text.split('\n')) {
      if (!line.includes('tool_')) continue;
      let entry: { timestamp?: string; message?: { content?: unknown } };
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      const content = entry.message?.content;
      if (!Array.isArray(content)) continue;
      for (const block of content as Record<string, unknown>[]) {
        if (block.type === 'tool_use' && typeof block.id === 'string')
          uses.set(block.id, { name: String(block.name), input: block.input, agentId: file.agentId });
        else if (
          block.type === 'tool_result' &&
          block.is_error === true &&
          typeof block.tool_use_id === 'string'
        ) {
          const id = block.tool_use_id;
          const use = uses.get(id);
          if (!use || seen.has(id) || !DENIED.some((re) => re.test(resultText(block.content)))) continue;
          const input =
            use.input && typeof use.input === 'object' ? (use.input as Record<string, unknown>) : {};
          const verdict = decide(policy, { tool: use.name, input }, ctx);
          if (verdict.decision === 'allow' || !verdict.rule) continue;
          out.push({
            ts: entry.timestamp ?? ctx.now.toISOString(),
            event: 'PreToolUse',
            session_id: sessionId,
            agent_id: use.agentId,
            agent_type: null,
            tool_name: use.name,
            tool_use_id: id,
            tool_input: redactValue(input, policy.audit?.maxFieldChars ?? 4096, []),
            decision: verdict.decision,
            rule: verdict.rule,
            layer: 'rule',
            spine_version: policy.spine.version,
          });
        }
      }
    }
  }
  return out;
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

/**
 * At SessionEnd: appends to the audit log the near-misses the client's own rules decided, so the
 * log, `spine audit` and the exported summary all count them. Ids already in the log are skipped,
 * so a repeated SessionEnd adds nothing twice.
 */
export function recordTranscriptDenials(
  logDir: string,
  sessionId: string,
  transcriptPath: string,
  policy: HookPolicy,
  ctx: HookContext,
  append: (file: string, line: string) => void,
  logFileFor: (now: Date) => string,
): number {
  const seen = new Set<string>();
  if (existsSync(logDir))
    for (const f of readdirSync(logDir)) {
      if (!f.endsWith('.jsonl')) continue;
      const text = readFileSync(join(logDir, f), 'utf8');
      if (!text.includes(sessionId)) continue;
      for (const line of text.split('\n')) {
        if (!line.includes(sessionId) || !line.includes('"PreToolUse"')) continue;
        const id = /"tool_use_id":"([^"]+)"/.exec(line)?.[1];
        if (id) seen.add(id);
      }
    }
  const records = transcriptDenials(transcriptPath, sessionId, seen, policy, ctx);
  for (const r of records) append(logFileFor(new Date(r.ts)), JSON.stringify(r));
  return records.length;
}
