import type { HookPolicy } from './types.js';

/**
 * The policy file sits in the repository, where an agent may have rewritten it. Everything the
 * hook relies on is checked before use; anything off is an error the guard turns into a deny.
 * Fields only the exporter or the summary use are checked where they are used.
 *
 * Runs on every tool call over a policy of a hundred rules and more: a field's name for the
 * message (`rules[12].id`) is only put together once a check fails.
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
  const rules = list(p.rules, 'rules');
  for (let i = 0; i < rules.length; i++) {
    const rule = object(rules[i], 'rules', i);
    string(rule.id, 'rules', i, 'id');
    string(rule.rule, 'rules', i, 'rule');
    if (rule.effect !== 'deny' && rule.effect !== 'ask' && rule.effect !== 'allow')
      throw new Error(`rules[${i}].effect is not deny, ask or allow`);
  }
  if (p.guard !== null) {
    const guard = object(p.guard, 'guard');
    string(guard.id, 'guard.id');
    if (typeof guard.enabled !== 'boolean') throw new Error('guard.enabled is not true or false');
  }
  if (p.sandbox !== undefined && p.sandbox !== null) string(object(p.sandbox, 'sandbox').id, 'sandbox.id');
  const secretPaths = list(p.secretPaths, 'secretPaths');
  for (let i = 0; i < secretPaths.length; i++) {
    const secret = object(secretPaths[i], 'secretPaths', i);
    string(secret.id, 'secretPaths', i, 'id');
    strings(secret.globs, 'secretPaths', i, 'globs');
  }
  strings(p.allowPaths, 'allowPaths');
  const redact = list(p.redact, 'redact');
  for (let i = 0; i < redact.length; i++) {
    const entry = object(redact[i], 'redact', i);
    string(entry.id, 'redact', i, 'id');
    string(entry.pattern, 'redact', i, 'pattern');
  }
  if (p.skills !== undefined) strings(p.skills, 'skills');
  return value as HookPolicy;
}

/** `rules`, `rules[3]`, `rules[3].id`: a field's name, for the message of a failed check. */
function named(what: string, index?: number, field?: string): string {
  return `${what}${index === undefined ? '' : `[${index}]`}${field === undefined ? '' : `.${field}`}`;
}

function object(value: unknown, what: string, index?: number): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${named(what, index)} is not an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string, index?: number, field?: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${named(what, index, field)} is not a list`);
  return value;
}

function string(value: unknown, what: string, index?: number, field?: string): void {
  if (typeof value !== 'string') throw new Error(`${named(what, index, field)} is not a string`);
}

/** A list of strings; the message names the item: `secretPaths[1].globs[0] is not a string`. */
function strings(value: unknown, what: string, index?: number, field?: string): void {
  const items = list(value, what, index, field);
  for (let i = 0; i < items.length; i++)
    if (typeof items[i] !== 'string') throw new Error(`${named(what, index, field)}[${i}] is not a string`);
}
