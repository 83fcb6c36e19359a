import { describe, expect, it } from 'vitest';
import { hookGroup, legacyHookReason } from '../../src/core/render/settings-entries.js';

const withCommand = (event: string, edit: (command: string) => string, async?: boolean) => {
  const group = structuredClone(hookGroup(event));
  const hook = group.hooks[0]!;
  hook.command = edit(hook.command);
  if (async === false) delete hook.async;
  return group;
};
const toMjs = (c: string) => c.replace('spine-hook.cjs', 'spine-hook.mjs');
const plain = (c: string) =>
  c.replace('SPINE_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" NODE_EXTRA_CA_CERTS= node', 'node');

describe('the hook wiring of earlier releases', () => {
  it('today’s group is not legacy', () => {
    for (const event of ['PreToolUse', 'SessionStart', 'Stop'])
      expect(legacyHookReason(event, hookGroup(event))).toBeUndefined();
  });

  it('names each earlier form by its most costly difference', () => {
    // The ES module script with today's command line.
    expect(legacyHookReason('PreToolUse', withCommand('PreToolUse', toMjs))).toBe('es-module');
    expect(legacyHookReason('SessionStart', withCommand('SessionStart', toMjs))).toBe('es-module');
    // The ES module script started with the CA bundle (before the hand-over).
    expect(
      legacyHookReason(
        'PreToolUse',
        withCommand('PreToolUse', (c) => plain(toMjs(c))),
      ),
    ).toBe('ca-bundle');
    expect(
      legacyHookReason(
        'Stop',
        withCommand('Stop', (c) => plain(toMjs(c))),
      ),
    ).toBe('ca-bundle');
    // Synchronous where today's is async, with either script.
    expect(
      legacyHookReason(
        'SessionStart',
        withCommand('SessionStart', (c) => plain(toMjs(c)), false),
      ),
    ).toBe('waits');
    expect(legacyHookReason('SessionStart', withCommand('SessionStart', toMjs, false))).toBe('waits');
  });

  it('key order does not matter; any other change is an edit, not legacy', () => {
    const group = withCommand('PreToolUse', toMjs);
    const reordered = {
      hooks: group.hooks.map((h) => ({ timeout: h.timeout, command: h.command, type: h.type })),
      matcher: group.matcher,
    };
    expect(legacyHookReason('PreToolUse', reordered)).toBe('es-module');
    expect(
      legacyHookReason(
        'PreToolUse',
        withCommand('PreToolUse', (c) => `${toMjs(c)} || true`),
      ),
    ).toBeUndefined();
    expect(
      legacyHookReason(
        'PreToolUse',
        withCommand('PreToolUse', (c) => c.replace('spine-hook.cjs', 'other.mjs')),
      ),
    ).toBeUndefined();
  });
});
