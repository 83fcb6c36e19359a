import type { HookPolicy } from './types.js';

/**
 * The policy file sits in the repository, where an agent may have rewritten it. Everything the
 * hook relies on is checked before use; anything off is an error the guard turns into a deny.
 * Fields only the exporter or the summary use are checked where they are used.
 */
export function checkPolicy(value: unknown): HookPolicy {
  const p = object(value, 'the policy');
  if (p.policyVersion !== 1)
    throw new Error(`policyVersion is ${JSON.stringify(p.policyVersion)}, expected 1`);
  const spine = object(p.spine, 'spine');
  string(spine.name, 'spine.name');
  string(spine.version, 'spine.version');
  if (p.audit !== null) {
    const audit = object(p.audit, 'audit');
    string(audit.id, 'audit.id');
    if (typeof audit.enabled !== 'boolean') throw new Error('audit.enabled is not true or false');
    string(audit.dir, 'audit.dir');
    strings(audit.events, 'audit.events');
    if (!Number.isInteger(audit.maxFieldChars) || (audit.maxFieldChars as number) < 1)
      throw new Error('audit.maxFieldChars is not a positive whole number');
  }
  list(p.rules, 'rules').forEach((r, i) => {
    const rule = object(r, `rules[${i}]`);
    string(rule.id, `rules[${i}].id`);
    string(rule.rule, `rules[${i}].rule`);
    if (rule.effect !== 'deny' && rule.effect !== 'ask' && rule.effect !== 'allow')
      throw new Error(`rules[${i}].effect is not deny, ask or allow`);
  });
  if (p.guard !== null) {
    const guard = object(p.guard, 'guard');
    string(guard.id, 'guard.id');
    if (typeof guard.enabled !== 'boolean') throw new Error('guard.enabled is not true or false');
  }
  if (p.sandbox !== undefined && p.sandbox !== null) string(object(p.sandbox, 'sandbox').id, 'sandbox.id');
  list(p.secretPaths, 'secretPaths').forEach((s, i) => {
    const secret = object(s, `secretPaths[${i}]`);
    string(secret.id, `secretPaths[${i}].id`);
    strings(secret.globs, `secretPaths[${i}].globs`);
  });
  strings(p.allowPaths, 'allowPaths');
  list(p.redact, 'redact').forEach((r, i) => {
    const redact = object(r, `redact[${i}]`);
    string(redact.id, `redact[${i}].id`);
    string(redact.pattern, `redact[${i}].pattern`);
  });
  if (p.skills !== undefined) strings(p.skills, 'skills');
  return value as HookPolicy;
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
}

function string(value: unknown, what: string): void {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
}

function strings(value: unknown, what: string): void {
  for (const [i, v] of list(value, what).entries()) string(v, `${what}[${i}]`);
}
