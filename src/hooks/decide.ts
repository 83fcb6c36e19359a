import { tick } from './deadline.js';
import { oversizedInput } from './input-limits.js';
import { ruleMatches, type ToolCall } from './rule-match.js';
import { findSecret, type GuardContext, SecretMatcher } from './secret-guard.js';
import type { HookPolicy, Verdict, WouldBe } from './types.js';

const ORDER = ['deny', 'ask', 'allow'] as const;
const VERB = { deny: 'denies', ask: 'asks a person before', allow: 'allows' } as const;

/**
 * What the spine says about one tool call: the secret guard first (it catches what static rules
 * cannot express), then the spine's rules deny → ask → allow, as Claude Code orders them.
 * `allow` with rule null means no spine guardrail had anything to say.
 */
export function decide(policy: HookPolicy, call: ToolCall, ctx: GuardContext): Verdict {
  const oversized = (policy.guard?.enabled || policy.rules.length > 0) && oversizedInput(call);
  if (oversized) return { decision: 'deny', rule: null, layer: 'guard', reason: `spine: ${oversized}` };
  const verdict = enforced(policy, call, ctx);
  const evaluated = evaluate(policy, call, ctx);
  return evaluated.length > 0 ? { ...verdict, evaluated } : verdict;
}

/**
 * What the guardrails in `mode: evaluate` would have said: each one that would have denied or
 * asked, once. The call is not stopped by them; the audit record carries them as would-be
 * refusals (docs/evaluate.md).
 */
function evaluate(policy: HookPolicy, call: ToolCall, ctx: GuardContext): WouldBe[] {
  const found: WouldBe[] = [];
  const seen = new Set<string>();
  const secretPaths = policy.secretPaths.filter((p) => p.evaluate);
  if (policy.guard?.enabled && secretPaths.length > 0) {
    const hit = findSecret(call.tool, call.input, new SecretMatcher({ ...policy, secretPaths }, ctx), ctx);
    if (hit) {
      found.push({ rule: hit.id, decision: 'deny', layer: 'guard' });
      seen.add(hit.id);
    }
  }
  for (const effect of ['deny', 'ask'] as const) {
    for (const r of policy.rules) {
      tick();
      if (!r.evaluate || r.effect !== effect || seen.has(r.id) || !ruleMatches(r.rule, call, ctx)) continue;
      found.push({ rule: r.id, decision: effect, layer: 'rule' });
      seen.add(r.id);
    }
  }
  return found;
}

function enforced(policy: HookPolicy, call: ToolCall, ctx: GuardContext): Verdict {
  if (policy.guard?.enabled) {
    const secretPaths = policy.secretPaths.filter((p) => !p.evaluate);
    const hit = findSecret(call.tool, call.input, new SecretMatcher({ ...policy, secretPaths }, ctx), ctx);
    if (hit) {
      const shown = hit.token.length > 80 ? `${hit.token.slice(0, 77)}...` : hit.token;
      return {
        decision: 'deny',
        rule: hit.id,
        layer: 'guard',
        reason:
          `spine: ${hit.id}: "${shown}" is a secret file (${policy.guard.id}); agents must not read, copy or ` +
          'send it by any program. Ask the user for the value you need instead.',
      };
    }
  }
  for (const effect of ORDER) {
    for (const r of policy.rules) {
      tick();
      if (r.evaluate || r.effect !== effect || !ruleMatches(r.rule, call, ctx)) continue;
      return {
        decision: effect,
        rule: r.id,
        layer: 'rule',
        reason: `spine: ${r.id}: the spine rule ${VERB[effect]} ${r.rule}`,
      };
    }
  }
  return { decision: 'allow', rule: null };
}
