import { beforeAll, describe, expect, it } from 'vitest';
import { handleEvent } from '../../src/hooks/run-hook.js';
import type { HookPayload, HookPolicy } from '../../src/hooks/types.js';
import { tempDir } from '../helpers/gitdir.js';
import { embeddedPolicy } from '../hooks/embedded-policy.js';

/**
 * A read the OS sandbox refused is only visible in the command's output, after the call:
 * recorded as a near-miss of the sandbox guardrail when the refused path is a secret.
 */
let policy: HookPolicy;
const projectDir = tempDir('spine-sandbox-denial-');
const ctx = { projectDir, cwd: projectDir, home: '/home/dev', now: new Date('2026-12-01T10:00:00Z') };

beforeAll(async () => {
  policy = await embeddedPolicy();
  // No audit writes here: only the verdict matters.
  policy = { ...policy, audit: null };
});

const post = (stderr: string, event = 'PostToolUse'): HookPayload => ({
  hook_event_name: event,
  tool_name: 'Bash',
  tool_input: { command: 'x' },
  ...(event === 'PostToolUse' ? { tool_response: { stdout: '', stderr } } : { error: stderr }),
});

describe('a sandbox refusal in the output of a Bash call', () => {
  it.each([
    ['cat', 'cat: .env: Permission denied'],
    ['bash', '/bin/bash: line 1: config/.env.local: Permission denied'],
    ['python', "PermissionError: [Errno 13] Permission denied: 'server.key'"],
    ['node', "Error: EACCES: permission denied, open '/home/dev/.ssh/id_rsa'"],
    ['a failure event', 'Exit code 1\ncat: sub/.env: Permission denied', 'PostToolUseFailure'],
  ])('%s: recorded as a near-miss of the sandbox guardrail', (_, stderr, event = 'PostToolUse') => {
    const result = handleEvent(post(stderr, event), policy, ctx, () => {});
    expect(result.verdict).toMatchObject({ decision: 'deny', rule: 'sandbox-enabled', layer: 'sandbox' });
    expect(result.stdout).toBeUndefined();
  });

  it.each([
    'cat: README.md: Permission denied',
    'mkdir: cannot create directory /root/x: Permission denied',
    'all fine',
  ])('is not a near-miss when no secret was refused: %s', (stderr) => {
    expect(handleEvent(post(stderr), policy, ctx, () => {}).verdict).toBeUndefined();
  });

  it('needs a spine that turns the sandbox on', () => {
    const off = { ...policy, sandbox: null };
    expect(handleEvent(post('cat: .env: Permission denied'), off, ctx, () => {}).verdict).toBeUndefined();
  });
});
