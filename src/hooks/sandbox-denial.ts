import { isAbsolute, resolve } from 'node:path';
import type { GuardContext, SecretMatcher } from './secret-guard.js';
import type { HookPayload, HookPolicy, Verdict } from './types.js';

/**
 * A read the OS sandbox refused shows up only in the command's output: `cat: .env: Permission
 * denied`, Python's `PermissionError: [Errno 13] Permission denied: '.env'`, Node's `EACCES:
 * permission denied, open '.env'`. When the refused path is a secret, the call was a near-miss
 * stopped by the sandbox: recorded with the sandbox guardrail's id, never acted upon.
 */
const DENIALS: RegExp[] = [
  // coreutils and shells: `<program>: <path>: Permission denied`
  /(?:^|\n)[^\n:]*: (?:line \d+: )?([^\n:]+): Permission denied/g,
  // Python
  /Permission denied: '([^'\n]+)'/g,
  // Node and libuv
  /EACCES: permission denied, \w+ '([^'\n]+)'/gi,
];

export function sandboxNearMiss(
  payload: HookPayload,
  policy: HookPolicy,
  matcher: SecretMatcher,
  ctx: GuardContext,
): Verdict | undefined {
  const sandbox = policy.sandbox;
  if (!sandbox || payload.tool_name !== 'Bash') return undefined;
  const text = outputOf(payload);
  if (!text.toLowerCase().includes('permission denied')) return undefined;
  for (const re of DENIALS) {
    for (const m of text.matchAll(re)) {
      const raw = m[1]!.trim();
      const path = isAbsolute(raw) ? resolve(raw) : resolve(ctx.cwd, raw);
      const id = matcher.match(path);
      if (id) {
        return {
          decision: 'deny',
          rule: sandbox.id,
          layer: 'sandbox',
          reason: `spine: ${sandbox.id}: the OS sandbox refused to read ${raw} (${id})`,
        };
      }
    }
  }
  return undefined;
}

/** PostToolUse carries `tool_response` {stdout, stderr}; PostToolUseFailure an `error` text. */
export function outputOf(payload: HookPayload): string {
  const parts: string[] = [];
  const response = payload.tool_response;
  if (typeof response === 'string') parts.push(response);
  else if (response && typeof response === 'object') {
    for (const key of ['stderr', 'stdout']) {
      const value = (response as Record<string, unknown>)[key];
      if (typeof value === 'string') parts.push(value);
    }
  }
  if (typeof payload.error === 'string') parts.push(payload.error);
  return parts.join('\n').slice(0, 64 * 1024);
}
